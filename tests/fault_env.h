// An Env for tests that delegates to the real one and refuses chosen
// writes and moves, as a full disk or a read-only share would.
#ifndef BESCHEID_TESTS_FAULT_ENV_H_
#define BESCHEID_TESTS_FAULT_ENV_H_

#include <atomic>
#include <functional>
#include <string>

#include "env/env.h"

namespace bescheid::testing {

class FaultEnv : public Env {
 public:
  // Writes and moves to paths for which `refuse(path)` is true fail with
  // kIo "No space left on device" while `failing` is set.
  explicit FaultEnv(std::function<bool(const std::string&)> refuse =
                        [](const std::string&) { return true; })
      : refuse_(std::move(refuse)) {}

  Result<std::string> ReadFile(const std::string& p, uint64_t max) override {
    if (reads_failing && unreadable && unreadable(p)) {
      ++refused_reads;
      return IoError("cannot read '" + p + "': Input/output error");
    }
    return base_->ReadFile(p, max);
  }
  Result<FileInfo> Stat(const std::string& p) override {
    return base_->Stat(p);
  }
  using Env::WriteFileAtomic;
  Status WriteFileAtomic(const std::string& p, std::string_view d,
                         const WriteOptions& o) override {
    if (Refused(p)) return Full(p);
    return base_->WriteFileAtomic(p, d, o);
  }
  Status CreateDirs(const std::string& p) override {
    return base_->CreateDirs(p);
  }
  Status Rename(const std::string& a, const std::string& b) override {
    return base_->Rename(a, b);
  }
  Status MoveFile(const std::string& a, const std::string& b) override {
    if (Refused(b)) return Full(b);
    return base_->MoveFile(a, b);
  }
  Status Remove(const std::string& p) override { return base_->Remove(p); }
  Result<std::vector<std::string>> ListDir(const std::string& p) override {
    return base_->ListDir(p);
  }
  int64_t NowUnix() override { return base_->NowUnix(); }
  Result<std::unique_ptr<FileLock>> LockFile(const std::string& p) override {
    return base_->LockFile(p);
  }

  std::atomic<bool> failing{false};
  std::atomic<int> refused{0};
  // While `reads_failing` is set, reads of paths for which `unreadable`
  // returns true fail with kIo (as an I/O error would). Set `unreadable`
  // before the env is used from other threads; toggle `reads_failing`.
  std::function<bool(const std::string&)> unreadable;
  std::atomic<bool> reads_failing{true};
  std::atomic<int> refused_reads{0};

 private:
  bool Refused(const std::string& path) {
    if (!failing || !refuse_(path)) return false;
    ++refused;
    return true;
  }
  static Status Full(const std::string& path) {
    return IoError("cannot write '" + path + "': No space left on device");
  }

  std::function<bool(const std::string&)> refuse_;
  Env* base_ = DefaultEnv();
};

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_FAULT_ENV_H_
