-- Creates the small published data sets of the BG/BB and sBG papers; scripts/load_data.sh then
-- fills each from its file with \copy.
\set ON_ERROR_STOP on
DROP TABLE IF EXISTS donations, retention_fh2007;
CREATE TABLE donations (              -- donations.csv: 11,104 first-time donors of 1995, 6 yearly opportunities
    frequency integer NOT NULL,       -- repeat donations 1996-2001
    recency integer NOT NULL,         -- opportunity (year 1..6) of the last repeat donation, 0 if none
    periods integer NOT NULL,         -- opportunities observed (6)
    weights integer NOT NULL          -- donors with this history
);
CREATE TABLE retention_fh2007 (       -- retention_fader_hardie_2007.csv: two cohorts of 1,000 customers
    segment text NOT NULL,            -- regular or high_end
    year integer NOT NULL,            -- years since acquisition, 0 .. 12
    active integer NOT NULL           -- customers still active
);
COMMENT ON TABLE donations IS 'Fader, Hardie and Shang (2010) donations: the BG/BB paper''s 1995 cohort as a weighted (frequency, recency, periods) summary';
COMMENT ON TABLE retention_fh2007 IS 'Fader and Hardie (2007) "How to project customer retention": customers active per year of two cohorts (the paper fits years 0-7)';
