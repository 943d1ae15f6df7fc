//! Clustering of customers: [`kmeans`] (k-means++ seeding, Lloyd iterations, best of several
//! starts, and the aggregate state that collects the points) and [`scaling`] (the feature
//! scaling fitted with a model and stored in it).

pub mod kmeans;
pub mod scaling;
