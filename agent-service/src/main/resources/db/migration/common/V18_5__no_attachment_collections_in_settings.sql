-- attachment collections ("scratch-...", one per conversation, named after a guessable id) are reserved for the
-- conversation they belong to: a place's setting that named one before they were reserved is cleared
UPDATE channel_settings SET collection = NULL WHERE LOWER(collection) LIKE 'scratch-%';
