CREATE TABLE users (
    id         VARCHAR(200) PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    created_at TIMESTAMP    NOT NULL
);

CREATE TABLE conversations (
    id                 VARCHAR(300) PRIMARY KEY,
    user_id            VARCHAR(200) NOT NULL REFERENCES users (id),
    summary            TEXT,
    summarized_through BIGINT       NOT NULL DEFAULT 0,
    created_at         TIMESTAMP    NOT NULL,
    updated_at         TIMESTAMP    NOT NULL
);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id VARCHAR(300) NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            VARCHAR(20)  NOT NULL,
    content         TEXT         NOT NULL,
    created_at      TIMESTAMP    NOT NULL
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
