// The narrow interface to the operating system: files and clocks. Modules
// above it never touch the file system directly, so tests can inject faults
// (disk full, permission denied) with a wrapper, as leveldb's Env allows.
//
// Implementations must be thread-safe.
#ifndef BESCHEID_ENV_ENV_H_
#define BESCHEID_ENV_ENV_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace bescheid {

enum class FileType {
  kRegular,
  kDirectory,
  kSymlink,  // the link itself: Stat never follows links
  kOther,    // FIFO, socket, device
};

struct FileInfo {
  uint64_t size = 0;
  int64_t mtime_unix = 0;   // seconds
  int64_t mtime_nanos = 0;  // sub-second part, 0 where unknown
  FileType type = FileType::kRegular;
  uint64_t links = 1;   // hard links to the inode
  uint64_t device = 0;  // file system id, to tell whether a rename can work
  bool is_directory() const { return type == FileType::kDirectory; }
};

// An exclusive lock held until the object is destroyed. Non-copyable.
class FileLock {
 public:
  virtual ~FileLock() = default;
  FileLock() = default;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
};

// How WriteFileAtomic creates the new file.
struct WriteOptions {
  // The file's permission bits, set exactly (the umask does not apply).
  // Unset: 0664 less the process's umask.
  std::optional<uint32_t> mode;
  // Give the new file the owner and group of the file it replaces, where
  // the process may (as root, say, editing a service user's file); a change
  // the process is not permitted is skipped. A file written for a service
  // user must not come to belong to whoever ran the command.
  bool keep_owner = false;
};

class Env {
 public:
  virtual ~Env() = default;

  // Reads the whole regular file at `path`. Never follows a symbolic link
  // and never blocks on a FIFO or device: those fail with kInvalidInput and
  // a German reason, as does a file holding more than `max_bytes` (read no
  // further than max_bytes + 1). Fails with kNotFound or kIo otherwise.
  virtual Result<std::string> ReadFile(const std::string& path,
                                       uint64_t max_bytes) = 0;

  // What `path` itself is (lstat: a symbolic link is reported as a link,
  // never followed).
  virtual Result<FileInfo> Stat(const std::string& path) = 0;

  // Makes `path` hold exactly `data` or leaves any earlier file untouched:
  // writes a temporary file beside it, fsyncs it, renames it over `path` and
  // fsyncs the directory. Creates missing parent directories. The new file
  // is made as `options` say (the default: 0664 less the umask, owned by
  // this process).
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data,
                                 const WriteOptions& options) = 0;
  // WriteFileAtomic with the default options. (Implementations bring it
  // into scope with `using Env::WriteFileAtomic;`.)
  Status WriteFileAtomic(const std::string& path, std::string_view data) {
    return WriteFileAtomic(path, data, WriteOptions{});
  }

  // Grouped durability (docs/durability.md): like WriteFileAtomic but
  // without its syncs. Writes a temporary file beside `path` and renames it
  // over `path`, so that readers see the earlier file or the whole new one;
  // after a crash of the machine, though, `path` may be missing or hold
  // less until a SyncFiles call naming it has returned OK. Creates missing
  // parent directories. Default: WriteFileAtomic (already durable).
  virtual Status WriteFileUnsynced(const std::string& path,
                                   std::string_view data) {
    return WriteFileAtomic(path, data);
  }

  // Makes the files at `paths` (written by WriteFileUnsynced) durable in
  // one pass: each file's data and its name in its directory. On OK, every
  // one of them survives a crash as written; on an error any of them may
  // not. kNotFound if one of them is missing. POSIX: one syncfs(2) per
  // file system they are on. Default: nothing to do (see
  // WriteFileUnsynced).
  virtual Status SyncFiles(const std::vector<std::string>& paths) {
    (void)paths;
    return Status::Ok();
  }

  // Creates `path` and its missing parents.
  virtual Status CreateDirs(const std::string& path) = 0;

  // Atomic rename within one file system; fsyncs the target's directory.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;

  // Moves a directory entry (a link is moved as the link): an atomic rename
  // that never replaces an existing `to`, where possible; across file
  // systems a regular file is copied under a unique hidden name, fsynced,
  // renamed into place without replacing, and only then is the source
  // unlinked. Creates the target's directory. Fails if `to` exists.
  virtual Status MoveFile(const std::string& from, const std::string& to) = 0;

  virtual Status Remove(const std::string& path) = 0;

  // Names (not paths) of the entries of directory `path`, unsorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;

  // Seconds since the Unix epoch, wall clock.
  virtual int64_t NowUnix() = 0;

  // Takes an exclusive lock on `path` (created if missing) without waiting,
  // and writes this process's id into it. While another process holds it,
  // fails with kConfig naming that process's id. Locks are per open file,
  // so a second LockFile on the same path in this process fails too.
  virtual Result<std::unique_ptr<FileLock>> LockFile(
      const std::string& path) = 0;
};

// The German reason why the entry `name` of type `type` (kSymlink or
// kOther) is not read: links are never followed, special files never
// opened.
std::string NotRegularFileReason(const std::string& name, FileType type);

// The process-wide POSIX implementation. Never deleted.
Env* DefaultEnv();

// The calendar date of a Unix time in the machine's local time zone.
core::Date LocalDate(int64_t unix_seconds);

// The time that documents (letters, PDF metadata, records) are dated with:
// SOURCE_DATE_EPOCH when set to a valid number (reproducible builds
// convention), otherwise env->NowUnix().
int64_t DocumentTime(Env* env);

// Joins path components with exactly one '/'.
std::string JoinPath(const std::string& a, const std::string& b);
// The last component of a path ("dir/a.xml" -> "a.xml").
std::string BaseName(const std::string& path);
// Everything before the last component ("dir/a.xml" -> "dir", "a" -> ".").
std::string DirName(const std::string& path);

}  // namespace bescheid

#endif  // BESCHEID_ENV_ENV_H_
