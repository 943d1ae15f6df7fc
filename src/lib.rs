// placeholder, replaced by the pgrx layer
