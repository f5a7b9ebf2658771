// Checks of a database made before a command uses it (issue 17). A mistyped `--db` path must not
// become a new, empty installation; a file this process cannot write must be refused at start
// rather than answer every write with an error; a damaged file must be refused before it serves
// and accepts writes.
//
// PostgreSQL needs none of these here: its server refuses a connection to a database that does
// not exist, and keeps its own files.
#pragma once

#include <string>

#include "base/status.h"

namespace rampart::store {

// The file a SQLite URL names ("PATH", "sqlite:PATH" or "sqlite://PATH"); empty for a
// PostgreSQL URL.
std::string SqlitePathOf(const std::string& url);

// What a command is about to do with a database.
enum class DatabaseUse {
  kCreate,  // make it when absent (`rampart init`, the destination of a copy or restore)
  kRead,    // read only (`rampart audit verify`): must exist; nothing is created
  kWrite,   // read and write: must exist, and the file and its directory must be writable
};

// Before the database is opened (opening a SQLite file creates it). A SQLite file that does not
// exist or is empty (0 bytes): kNotFound naming the path, unless `use` is kCreate. kWrite: a
// file or directory this process may not write (permissions, a read-only file system):
// kFailedPrecondition naming which. PostgreSQL URLs pass.
Status CheckBeforeOpen(const std::string& url, DatabaseUse use);

// SQLite's quick_check of every page of the file (a few seconds for a database of gigabytes):
// kFailedPrecondition naming the first problems when the file is damaged or not a database.
// PostgreSQL URLs pass.
Status CheckIntegrity(const std::string& url);

// A clean stop remembered beside a SQLite file, so that the next start may skip the quick_check
// of every page (half a second for a file of 300 MB, against start-up's budget of 200 ms) while
// the file is exactly as Rampart left it. MarkCleanStop, once the last connection is closed,
// writes PATH.clean: the file's device, inode, size and modification and status-change times
// (ns). Any later write to the file, by SQLite or by anything else, moves its status-change
// time, which no tool sets back (unlike the modification time). PostgreSQL URLs: nothing, Ok.
// kInternal when the file cannot be read or the mark written.
Status MarkCleanStop(const std::string& url);
// Whether the SQLite file is as its clean stop left it: its mark matches and no -wal file with
// content lies beside it. The mark is removed whatever the answer, before the file is opened to
// be written, so a process that dies afterwards leaves the next start checking every page.
// False for PostgreSQL URLs and without a mark.
bool TakeCleanStop(const std::string& url);

// Whether the database at `url` takes writes now, for readiness: SQLite, the file and its
// directory writable (as CheckBeforeOpen kWrite); PostgreSQL, a primary (not a standby in
// recovery) whose sessions are not read-only by default (one short connection). Errors:
// kFailedPrecondition naming why not; kUnavailable when it cannot be reached.
Status CheckWritable(const std::string& url);

// The bytes this process may still write on the file system of the SQLite file at `url`; -1 for
// PostgreSQL (its server's disks are its own to watch). kInternal when it cannot be read.
Result<int64_t> FreeBytes(const std::string& url);

}  // namespace rampart::store
