-- How much evidence each event had (0-1, see Event.confidence). Events stored
-- before confidence existed get the neutral 0.5: neither hidden as low nor
-- shown as high.
ALTER TABLE events ADD COLUMN confidence DOUBLE PRECISION NOT NULL DEFAULT 0.5;
