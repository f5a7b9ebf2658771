-- Text search (?q=) of each register's searchable fields: a trigram FTS5 index, so a substring
-- search of three or more characters is an index lookup instead of a scan of the register.
-- External-content tables hold no copy of the text; triggers keep them in step with writes.
CREATE VIRTUAL TABLE context_issues_search USING fts5(
  title, description, effect, content='context_issues', content_rowid='id', tokenize='trigram');
CREATE TRIGGER context_issues_search_insert AFTER INSERT ON context_issues BEGIN
  INSERT INTO context_issues_search(rowid, title, description, effect)
  VALUES (new.id, new.title, new.description, new.effect);
END;
CREATE TRIGGER context_issues_search_delete AFTER DELETE ON context_issues BEGIN
  INSERT INTO context_issues_search(context_issues_search, rowid, title, description, effect)
  VALUES ('delete', old.id, old.title, old.description, old.effect);
END;
CREATE TRIGGER context_issues_search_update AFTER UPDATE ON context_issues BEGIN
  INSERT INTO context_issues_search(context_issues_search, rowid, title, description, effect)
  VALUES ('delete', old.id, old.title, old.description, old.effect);
  INSERT INTO context_issues_search(rowid, title, description, effect)
  VALUES (new.id, new.title, new.description, new.effect);
END;
INSERT INTO context_issues_search(context_issues_search) VALUES ('rebuild');

CREATE VIRTUAL TABLE interested_parties_search USING fts5(
  name, description, content='interested_parties', content_rowid='id', tokenize='trigram');
CREATE TRIGGER interested_parties_search_insert AFTER INSERT ON interested_parties BEGIN
  INSERT INTO interested_parties_search(rowid, name, description)
  VALUES (new.id, new.name, new.description);
END;
CREATE TRIGGER interested_parties_search_delete AFTER DELETE ON interested_parties BEGIN
  INSERT INTO interested_parties_search(interested_parties_search, rowid, name, description)
  VALUES ('delete', old.id, old.name, old.description);
END;
CREATE TRIGGER interested_parties_search_update AFTER UPDATE ON interested_parties BEGIN
  INSERT INTO interested_parties_search(interested_parties_search, rowid, name, description)
  VALUES ('delete', old.id, old.name, old.description);
  INSERT INTO interested_parties_search(rowid, name, description)
  VALUES (new.id, new.name, new.description);
END;
INSERT INTO interested_parties_search(interested_parties_search) VALUES ('rebuild');

CREATE VIRTUAL TABLE scope_statements_search USING fts5(
  title, statement, content='scope_statements', content_rowid='id', tokenize='trigram');
CREATE TRIGGER scope_statements_search_insert AFTER INSERT ON scope_statements BEGIN
  INSERT INTO scope_statements_search(rowid, title, statement)
  VALUES (new.id, new.title, new.statement);
END;
CREATE TRIGGER scope_statements_search_delete AFTER DELETE ON scope_statements BEGIN
  INSERT INTO scope_statements_search(scope_statements_search, rowid, title, statement)
  VALUES ('delete', old.id, old.title, old.statement);
END;
CREATE TRIGGER scope_statements_search_update AFTER UPDATE ON scope_statements BEGIN
  INSERT INTO scope_statements_search(scope_statements_search, rowid, title, statement)
  VALUES ('delete', old.id, old.title, old.statement);
  INSERT INTO scope_statements_search(rowid, title, statement)
  VALUES (new.id, new.title, new.statement);
END;
INSERT INTO scope_statements_search(scope_statements_search) VALUES ('rebuild');
