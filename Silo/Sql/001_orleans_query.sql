-- The Orleans ADO.NET providers (clustering, grain storage, reminders) ship no SQL: each reads the
-- statements it runs from this table at start-up, by key. Parameters are written @Name and result
-- columns are read by name, so the column aliases in the later scripts are part of that contract.
-- The provider queries this table unquoted (SELECT QueryKey, QueryText FROM OrleansQuery), so the
-- names are left unquoted here too and fold to lower case like the provider's query does.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);
