-- Agent Inbox database at schema version 1, as created by commit 9a30390, with a few rows.
BEGIN TRANSACTION;
CREATE TABLE contacts (
	id VARCHAR(100) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	handle VARCHAR(320) NOT NULL, 
	phone VARCHAR(64), 
	email VARCHAR(320), 
	account_rep_id VARCHAR(100), 
	priority_notifications BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "contacts" VALUES('ct_maria','Maria','+1 555 0100','+1 555 0100',NULL,'u_ana',1);
CREATE TABLE conversations (
	id VARCHAR(100) NOT NULL, 
	team_id VARCHAR(100) NOT NULL, 
	channel VARCHAR(20) NOT NULL, 
	contact_id VARCHAR(100) NOT NULL, 
	address VARCHAR(320) NOT NULL, 
	state VARCHAR(20) NOT NULL, 
	assigned_to VARCHAR(100), 
	reason VARCHAR(40) NOT NULL, 
	routed_at FLOAT NOT NULL, 
	created_at FLOAT NOT NULL, 
	updated_at FLOAT NOT NULL, 
	share_at FLOAT, 
	wait_until FLOAT, 
	last_direction VARCHAR(3), 
	last_preview TEXT, 
	last_at FLOAT, 
	unread INTEGER NOT NULL, 
	was_shared BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "conversations" VALUES('cv_1','support','sms','ct_maria','+1 555 0100','claimed','u_ana','claimed',1001.0,1000.0,1002.0,NULL,NULL,'in','Hello',1000.0,1,0);
CREATE TABLE events (
	seq INTEGER NOT NULL, 
	name VARCHAR(40) NOT NULL, 
	data JSON NOT NULL, 
	audience JSON NOT NULL, 
	at FLOAT NOT NULL, 
	PRIMARY KEY (seq)
);
CREATE TABLE messages (
	pos INTEGER NOT NULL, 
	id VARCHAR(100) NOT NULL, 
	conversation_id VARCHAR(100) NOT NULL, 
	direction VARCHAR(3) NOT NULL, 
	body TEXT NOT NULL, 
	author_id VARCHAR(100), 
	at FLOAT NOT NULL, 
	client_msg_id VARCHAR(64), 
	external_id VARCHAR(200), 
	delivery VARCHAR(10), 
	PRIMARY KEY (pos), 
	CONSTRAINT uq_messages_client_msg UNIQUE (author_id, client_msg_id), 
	CONSTRAINT uq_messages_external UNIQUE (external_id), 
	UNIQUE (id)
);
INSERT INTO "messages" VALUES(1,'m_1','cv_1','in','Hello',NULL,1000.0,NULL,'sms-1',NULL);
CREATE TABLE meta (
	"key" VARCHAR(64) NOT NULL, 
	value JSON NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "meta" VALUES('last_seq',0);
CREATE TABLE presence (
	user_id VARCHAR(100) NOT NULL, 
	status VARCHAR(10) NOT NULL, 
	since FLOAT NOT NULL, 
	PRIMARY KEY (user_id)
);
INSERT INTO "presence" VALUES('u_ana','online',1000.0);
CREATE TABLE schema_version (
	version INTEGER NOT NULL, 
	PRIMARY KEY (version)
);
INSERT INTO "schema_version" VALUES(1);
CREATE TABLE settings (
	id INTEGER NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE teams (
	id VARCHAR(100) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	distribution VARCHAR(20) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (name)
);
INSERT INTO "teams" VALUES('support','support','claim');
CREATE TABLE timeline (
	pos INTEGER NOT NULL, 
	conversation_id VARCHAR(100) NOT NULL, 
	at FLOAT NOT NULL, 
	kind VARCHAR(40) NOT NULL, 
	reason VARCHAR(40), 
	actor_id VARCHAR(100), 
	state VARCHAR(20) NOT NULL, 
	assigned_to VARCHAR(100), 
	details JSON NOT NULL, 
	PRIMARY KEY (pos)
);
INSERT INTO "timeline" VALUES(1,'cv_1',1000.0,'routed','dedicated_available',NULL,'priority','u_ana','{}');
CREATE TABLE tokens (
	token_hash VARCHAR(64) NOT NULL, 
	user_id VARCHAR(100) NOT NULL, 
	created_at FLOAT NOT NULL, 
	expires_at FLOAT NOT NULL, 
	revoked BOOLEAN NOT NULL, 
	PRIMARY KEY (token_hash)
);
CREATE TABLE users (
	id VARCHAR(100) NOT NULL, 
	username VARCHAR(200) NOT NULL, 
	display_name VARCHAR(200) NOT NULL, 
	email VARCHAR(320), 
	role VARCHAR(20) NOT NULL, 
	team_ids JSON NOT NULL, 
	max_open INTEGER NOT NULL, 
	disabled BOOLEAN NOT NULL, 
	password_hash TEXT, 
	PRIMARY KEY (id), 
	UNIQUE (username)
);
INSERT INTO "users" VALUES('u_ana','ana','Ana','ana@example.test','agent','["support"]',5,0,NULL);
CREATE INDEX ix_conversations_contact ON conversations (contact_id);
CREATE INDEX ix_conversations_state ON conversations (state);
CREATE INDEX ix_messages_undelivered ON messages (direction, delivery);
CREATE INDEX ix_messages_conversation ON messages (conversation_id, pos);
CREATE INDEX ix_timeline_conversation ON timeline (conversation_id, pos);
CREATE INDEX ix_tokens_user ON tokens (user_id);
COMMIT;
