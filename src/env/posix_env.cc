#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <set>

#include "env/env.h"
#include "env/scoped_fd.h"

namespace bescheid {
namespace {

std::string ErrnoText(const std::string& what, const std::string& path,
                      int err) {
  return what + " '" + path + "': " + std::strerror(err);
}

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  if (err == ENOENT) {
    return Status(StatusCode::kNotFound, ErrnoText(what, path, err));
  }
  return IoError(ErrnoText(what, path, err));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status CopyFd(int in, int out, const std::string& from, const std::string& to) {
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot read", from, errno);
    if (n == 0) return Status::Ok();
    Status s = WriteAll(out, std::string_view(buf, static_cast<size_t>(n)), to);
    if (!s.ok()) return s;
  }
}

// Holds an flock until destroyed; the lock file stays.
class PosixLock final : public FileLock {
 public:
  explicit PosixLock(int fd) : fd_(fd) {}
  ~PosixLock() override { ::close(fd_); }

 private:
  int fd_;
};

Status SyncDir(const std::string& dir) {
  ScopedFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus("cannot open directory", dir, errno);
  if (::fsync(fd.get()) != 0) return ErrnoStatus("cannot fsync", dir, errno);
  return Status::Ok();
}

// Gives the open file `tmp` (about to replace `path`) the owner and mode
// that `options` ask for.
Status SetOwnerAndMode(int fd, const std::string& path, const std::string& tmp,
                       const WriteOptions& options) {
  struct stat old;
  if (options.keep_owner && ::stat(path.c_str(), &old) == 0 &&
      ::fchown(fd, old.st_uid, old.st_gid) != 0 && errno != EPERM) {
    return ErrnoStatus("cannot set the owner of", tmp, errno);
  }
  // After fchown, which may clear set-id bits.
  if (options.mode && ::fchmod(fd, *options.mode & 07777) != 0) {
    return ErrnoStatus("cannot set the mode of", tmp, errno);
  }
  return Status::Ok();
}

class PosixEnv final : public Env {
 public:
  Result<std::string> ReadFile(const std::string& path,
                               uint64_t max_bytes) override {
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    ScopedFd fd(
        ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (fd.get() < 0) {
      if (errno == ELOOP) {
        return InvalidInput(
            NotRegularFileReason(BaseName(path), FileType::kSymlink));
      }
      return ErrnoStatus("cannot open", path, errno);
    }
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) {
      return ErrnoStatus("cannot stat", path, errno);
    }
    if (!S_ISREG(st.st_mode)) {
      return InvalidInput(
          NotRegularFileReason(BaseName(path), FileType::kOther));
    }
    std::string data;
    data.reserve(
        std::min<uint64_t>(static_cast<uint64_t>(st.st_size), max_bytes) + 1);
    char buf[1 << 16];
    while (true) {
      ssize_t n = ::read(fd.get(), buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("cannot read", path, errno);
      }
      if (n == 0) break;
      data.append(buf, static_cast<size_t>(n));
      if (data.size() > max_bytes) {
        return InvalidInput(
            "Die Datei ist größer als die zulässigen " +
            std::to_string(max_bytes) +
            " Bytes und wird nicht gelesen. Bitte prüfen Sie, ob die richtige "
            "Datei abgelegt wurde.");
      }
    }
    return data;
  }

  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
      return ErrnoStatus("cannot stat", path, errno);
    }
    FileInfo info;
    info.size = static_cast<uint64_t>(st.st_size);
    info.mtime_unix = st.st_mtim.tv_sec;
    info.mtime_nanos = st.st_mtim.tv_nsec;
    info.type = S_ISREG(st.st_mode)   ? FileType::kRegular
                : S_ISDIR(st.st_mode) ? FileType::kDirectory
                : S_ISLNK(st.st_mode) ? FileType::kSymlink
                                      : FileType::kOther;
    info.links = static_cast<uint64_t>(st.st_nlink);
    info.device = static_cast<uint64_t>(st.st_dev);
    return info;
  }

  using Env::WriteFileAtomic;
  Status WriteFileAtomic(const std::string& path, std::string_view data,
                         const WriteOptions& options) override {
    Status s = WriteAndRename(path, data, options, /*sync=*/true);
    if (!s.ok()) return s;
    return SyncDir(DirName(path));
  }

  Status WriteFileUnsynced(const std::string& path,
                           std::string_view data) override {
    return WriteAndRename(path, data, WriteOptions{}, /*sync=*/false);
  }

  Status SyncFiles(const std::vector<std::string>& paths) override {
    // One flush per file system (syncfs(2)): it writes every dirty page and
    // all metadata of the file system - the files' data and their names in
    // their directories - and waits for it, in one journal commit and one
    // cache flush. An fsync per file and per directory costs one each
    // (measured in docs/durability.md).
    // Each file is looked at without opening it (lstat: a link is not a
    // file written here); a file system is opened once, by its first file.
    std::set<dev_t> flushed;
    for (const std::string& path : paths) {
      struct stat st;
      if (::lstat(path.c_str(), &st) != 0) {
        return ErrnoStatus("cannot stat", path, errno);
      }
      if (!S_ISREG(st.st_mode)) {
        return IoError("'" + path + "' is not a regular file");
      }
      if (!flushed.insert(st.st_dev).second) continue;
      ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
      if (fd.get() < 0) return ErrnoStatus("cannot open", path, errno);
      if (::syncfs(fd.get()) != 0) {
        return ErrnoStatus("cannot sync the file system of", path, errno);
      }
    }
    return Status::Ok();
  }

  Status CreateDirs(const std::string& path) override {
    if (path.empty() || path == "." || path == "/") return Status::Ok();
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Status::Ok();
      return IoError("'" + path + "' exists and is not a directory");
    }
    Status s = CreateDirs(DirName(path));
    if (!s.ok()) return s;
    if (::mkdir(path.c_str(), 0775) != 0 && errno != EEXIST) {
      return ErrnoStatus("cannot create directory", path, errno);
    }
    return Status::Ok();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return ErrnoStatus("cannot rename '" + from + "' to", to, errno);
    }
    return SyncDir(DirName(to));
  }

  Status MoveFile(const std::string& from, const std::string& to) override {
    Status s = CreateDirs(DirName(to));
    if (!s.ok()) return s;
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                    RENAME_NOREPLACE) == 0) {
      return SyncDir(DirName(to));
    }
    if (errno == EEXIST) {
      return IoError("cannot move to '" + to + "': it exists");
    }
    if (errno != EXDEV) {
      return ErrnoStatus("cannot move '" + from + "' to", to, errno);
    }
    s = CopyDurably(from, to);
    if (!s.ok()) return s;
    if (::unlink(from.c_str()) != 0)
      return ErrnoStatus("cannot remove", from, errno);
    return SyncDir(DirName(from));
  }

  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) {
      return ErrnoStatus("cannot remove", path, errno);
    }
    return Status::Ok();
  }

  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()),
                                            &::closedir);
    if (!dir) return ErrnoStatus("cannot list", path, errno);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* e = ::readdir(dir.get())) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    if (errno != 0) return ErrnoStatus("cannot list", path, errno);
    return names;
  }

  int64_t NowUnix() override {
    return static_cast<int64_t>(std::time(nullptr));
  }

  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override {
    Status s = CreateDirs(DirName(path));
    if (!s.ok()) return s;
    ScopedFd fd(::open(path.c_str(),
                       O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
                       0644));
    if (fd.get() < 0) return ErrnoStatus("cannot open lock file", path, errno);
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) return ErrnoStatus("cannot lock", path, errno);
      char buf[32] = {};
      const ssize_t n = ::pread(fd.get(), buf, sizeof buf - 1, 0);
      const std::string holder =
          n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
      return ConfigError("'" + path + "' is locked by another process (pid " +
                         holder.substr(0, holder.find('\n')) + ")");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd.get(), 0) != 0 ||
        ::pwrite(fd.get(), pid.data(), pid.size(), 0) !=
            static_cast<ssize_t>(pid.size())) {
      return ErrnoStatus("cannot write lock file", path, errno);
    }
    return std::unique_ptr<FileLock>(new PosixLock(fd.release()));
  }

 private:
  // Writes `data` to a temporary file beside `path` (created no wider than
  // `options` ask: a private file is never readable by others, not even
  // before its mode is set) and renames it to `path`; with `sync` the
  // file's data is flushed before the rename, without it is left to the
  // page cache (SyncFiles makes it durable).
  Status WriteAndRename(const std::string& path, std::string_view data,
                        const WriteOptions& options, bool sync) {
    const std::string dir = DirName(path);
    Status s = CreateDirs(dir);
    if (!s.ok()) return s;
    static std::atomic<uint64_t> counter{0};
    const std::string tmp =
        JoinPath(dir, "." + BaseName(path) + "." + std::to_string(::getpid()) +
                          "." + std::to_string(counter.fetch_add(1)) + ".tmp");
    {
      ScopedFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                         options.mode ? *options.mode & 07777 : 0664));
      if (fd.get() < 0) return ErrnoStatus("cannot create", tmp, errno);
      s = SetOwnerAndMode(fd.get(), path, tmp, options);
      if (s.ok()) s = WriteAll(fd.get(), data, tmp);
      if (s.ok() && sync && ::fsync(fd.get()) != 0) {
        s = ErrnoStatus("cannot fsync", tmp, errno);
      }
      if (s.ok() && ::close(fd.release()) != 0) {
        s = ErrnoStatus("cannot close", tmp, errno);
      }
    }
    if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
      s = ErrnoStatus("cannot rename to", path, errno);
    }
    if (!s.ok()) ::unlink(tmp.c_str());
    return s;
  }

  // Copies regular file `from` to `to` (which must not exist) durably, for a
  // move across file systems.
  Status CopyDurably(const std::string& from, const std::string& to) {
    ScopedFd in(
        ::open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
    if (in.get() < 0) return ErrnoStatus("cannot open", from, errno);
    struct stat st;
    if (::fstat(in.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return IoError("cannot move '" + from +
                     "' across file systems: not a regular file");
    }
    static std::atomic<uint64_t> counter{0};
    const std::string tmp =
        JoinPath(DirName(to),
                 "." + BaseName(to) + "." + std::to_string(::getpid()) + "." +
                     std::to_string(counter.fetch_add(1)) + ".part-move");
    Status s;
    {
      ScopedFd out(
          ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0664));
      if (out.get() < 0) return ErrnoStatus("cannot create", tmp, errno);
      s = CopyFd(in.get(), out.get(), from, tmp);
      if (s.ok() && ::fsync(out.get()) != 0)
        s = ErrnoStatus("cannot fsync", tmp, errno);
    }
    if (s.ok() && ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, to.c_str(),
                              RENAME_NOREPLACE) != 0) {
      s = ErrnoStatus("cannot rename to", to, errno);
    }
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    return SyncDir(DirName(to));
  }
};

}  // namespace

Env* DefaultEnv() {
  static PosixEnv* env = new PosixEnv;
  return env;
}

core::Date LocalDate(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  return core::Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int64_t DocumentTime(Env* env) {
  if (const char* s = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s, &end, 10);
    if (errno == 0 && end != s && *end == '\0' && v >= 0) return v;
  }
  return env->NowUnix();
}

std::string NotRegularFileReason(const std::string& name, FileType type) {
  if (type == FileType::kSymlink) {
    return "'" + name +
           "' ist eine Verknüpfung (symbolischer Link) und keine reguläre "
           "Datei. Verknüpfungen werden aus Sicherheitsgründen nicht "
           "verfolgt; bitte legen Sie die Datei selbst ab.";
  }
  return "'" + name +
         "' ist keine reguläre Datei (sondern z. B. eine benannte Pipe, ein "
         "Socket oder ein Gerät) und wird nicht geöffnet. Bitte legen Sie "
         "die Datei selbst ab.";
}

std::string JoinPath(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string DirName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace bescheid
