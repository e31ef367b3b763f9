-- issue 18 items 4-7 (both dialects: nothing here differs between SQLite and PostgreSQL): channel settings, the turns
-- that feedback points at, shared rate-limit and quota counters

CREATE TABLE channel_settings (
    guild_id       VARCHAR(30)  NOT NULL,
    scope_id       VARCHAR(60)  NOT NULL,
    kind           VARCHAR(20)  NOT NULL,
    persona        VARCHAR(40),
    model          VARCHAR(200),
    collection     VARCHAR(100),
    thread_default BOOLEAN,
    use_cache      BOOLEAN,
    allowed_models TEXT,
    updated_by     VARCHAR(200) NOT NULL,
    updated_at     TIMESTAMP    NOT NULL,
    PRIMARY KEY (guild_id, scope_id)
);

CREATE TABLE turns (
    id              VARCHAR(40)  PRIMARY KEY,
    conversation_id VARCHAR(300) NOT NULL,
    user_id         VARCHAR(200) NOT NULL,
    persona         VARCHAR(40)  NOT NULL,
    model           VARCHAR(200) NOT NULL,
    cached          BOOLEAN      NOT NULL,
    sources         TEXT         NOT NULL,
    question        TEXT         NOT NULL,
    answer          TEXT         NOT NULL,
    created_at      TIMESTAMP    NOT NULL
);

CREATE INDEX turns_by_conversation ON turns (conversation_id);

CREATE TABLE feedback (
    turn_id    VARCHAR(40)  NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
    user_id    VARCHAR(200) NOT NULL,
    rating     VARCHAR(10)  NOT NULL,
    created_at TIMESTAMP    NOT NULL,
    PRIMARY KEY (turn_id, user_id)
);

CREATE INDEX feedback_by_time ON feedback (created_at);

CREATE TABLE rate_buckets (
    user_id    VARCHAR(200)     PRIMARY KEY,
    tokens     DOUBLE PRECISION NOT NULL,
    updated_ms BIGINT           NOT NULL
);

CREATE TABLE daily_usage (
    user_id VARCHAR(200) NOT NULL,
    day     VARCHAR(10)  NOT NULL,
    used    INTEGER      NOT NULL,
    PRIMARY KEY (user_id, day)
);
