#include "review/users.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "env/env.h"
#include "env/scoped_fd.h"
#include "review/tokens.h"

namespace bescheid::review {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr int kMaxIterations = 100'000'000;  // bounds one login's work
constexpr size_t kMaxFileBytes = 1 << 20;
constexpr const char* kScheme = "pbkdf2-sha256";

Status Errno(const std::string& what, const std::string& path, int err) {
  return IoError("Benutzerdatei '" + path + "': " + what + " (" +
                 std::strerror(err) + ").");
}

// Creates `dir` and its missing parents, 0750 (Env::CreateDirs makes
// shared folders, 0775): the folder of the users file is the service's own.
Status MakeDirs(const std::string& dir) {
  struct stat st;
  if (dir.empty() || dir == "." || dir == "/") return Status::Ok();
  if (::stat(dir.c_str(), &st) == 0) return Status::Ok();
  if (Status s = MakeDirs(DirName(dir)); !s.ok()) return s;
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    return Errno("Ordner kann nicht angelegt werden", dir, errno);
  }
  return Status::Ok();
}

Result<std::string> Pbkdf2(const std::string& password, const std::string& salt,
                           int iterations) {
  unsigned char out[kHashBytes];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        kHashBytes, out) != 1) {
    return InternalError("PKCS5_PBKDF2_HMAC failed");
  }
  return std::string(reinterpret_cast<const char*>(out), kHashBytes);
}

struct ParsedHash {
  int iterations = 0;
  std::string salt;
  std::string hash;
};

std::optional<ParsedHash> ParseHash(const std::string& text) {
  const size_t a = text.find(':');
  const size_t b = a == std::string::npos ? a : text.find(':', a + 1);
  if (b == std::string::npos || a == 0 || a > 9) return std::nullopt;
  const std::string digits = text.substr(0, a);
  if (digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  ParsedHash p;
  p.iterations = std::stoi(digits);
  auto salt = FromHex(text.substr(a + 1, b - a - 1));
  auto hash = FromHex(text.substr(b + 1));
  if (p.iterations < 1 || p.iterations > kMaxIterations || !salt || !hash ||
      salt->size() < 8 || hash->size() != kHashBytes) {
    return std::nullopt;
  }
  p.salt = std::move(*salt);
  p.hash = std::move(*hash);
  return p;
}

std::string Serialize(const std::vector<std::pair<User, std::string>>& users) {
  std::string out =
      "# bescheid station users: name:role:" + std::string(kScheme) +
      ":iterations:salt:hash\n# Managed with `bescheid user`; do not edit "
      "by hand.\n";
  for (const auto& [user, hash] : users) {
    out += user.name + ":" + RoleName(user.role) + ":" + kScheme + ":" + hash +
           "\n";
  }
  return out;
}

}  // namespace

std::string RoleName(Role role) {
  return role == Role::kSchlusszeichnung ? "schlusszeichnung"
                                         : "sachbearbeitung";
}

std::optional<Role> ParseRole(const std::string& name) {
  if (name == "sachbearbeitung") return Role::kSachbearbeitung;
  if (name == "schlusszeichnung") return Role::kSchlusszeichnung;
  return std::nullopt;
}

std::string UserNameProblem(const std::string& name) {
  const bool chars_ok = !name.empty() && name.size() <= 64 &&
                        name.find_first_not_of(
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvw"
                            "xyz0123456789._-") == std::string::npos &&
                        name[0] != '.' && name[0] != '-';
  if (chars_ok) return "";
  return "Der Benutzername '" + name +
         "' ist ungültig: erlaubt sind 1 bis 64 Zeichen aus A-Z, a-z, 0-9, "
         "Punkt, Unterstrich und Bindestrich (nicht am Anfang Punkt oder "
         "Bindestrich).";
}

std::string PasswordProblem(const std::string& password) {
  if (password.size() < 10) {
    return "Das Passwort ist zu kurz: bitte mindestens 10 Zeichen wählen.";
  }
  if (password.size() > 1024) {
    return "Das Passwort ist zu lang: höchstens 1024 Zeichen.";
  }
  return "";
}

Result<std::string> HashPassword(const std::string& password, int iterations) {
  if (iterations < 1 || iterations > kMaxIterations) {
    return InternalError("PBKDF2 iterations out of range");
  }
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), kSaltBytes) !=
      1) {
    return InternalError("RAND_bytes failed");
  }
  Result<std::string> hash = Pbkdf2(password, salt, iterations);
  if (!hash.ok()) return hash.status();
  return std::to_string(iterations) + ":" + ToHex(salt) + ":" + ToHex(*hash);
}

bool VerifyPassword(const std::string& password, const std::string& hash) {
  std::optional<ParsedHash> p = ParseHash(hash);
  if (!p) return false;
  Result<std::string> computed = Pbkdf2(password, p->salt, p->iterations);
  return computed.ok() &&
         CRYPTO_memcmp(computed->data(), p->hash.data(), kHashBytes) == 0;
}

UserStore::UserStore(std::string path, int min_iterations)
    : path_(std::move(path)), min_iterations_(min_iterations) {}

Result<std::unique_ptr<UserStore>> UserStore::Open(const std::string& path,
                                                   int min_iterations) {
  std::unique_ptr<UserStore> store(new UserStore(path, min_iterations));
  std::lock_guard<std::mutex> lock(store->mu_);
  if (Status s = store->RefreshLocked(); !s.ok()) return s;
  return store;
}

Status UserStore::Load(std::vector<Entry>& out, FileStamp& stamp) const {
  out.clear();
  stamp = FileStamp{};
  ScopedFd fd(::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status(StatusCode::kConfig, "Benutzerdatei '" + path_ +
                                           "' kann nicht gelesen werden (" +
                                           std::strerror(errno) + ").");
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<size_t>(st.st_size) > kMaxFileBytes) {
    return ConfigError("Benutzerdatei '" + path_ +
                       "' ist keine gewöhnliche Datei bis 1 MiB.");
  }
  stamp = FileStamp{true,
                    static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                        st.st_mtim.tv_nsec,
                    static_cast<int64_t>(st.st_size), st.st_ino};
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  text.resize(done);
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    auto bad = [&](const std::string& why) {
      return ConfigError("Benutzerdatei '" + path_ + "', Zeile " +
                         std::to_string(number) + ": " + why);
    };
    std::vector<std::string> parts;
    std::string part;
    std::istringstream fields(line);
    while (std::getline(fields, part, ':')) parts.push_back(part);
    if (parts.size() != 6 || parts[2] != kScheme) {
      return bad("erwartet wird name:rolle:" + std::string(kScheme) +
                 ":runden:salz:hash.");
    }
    std::optional<Role> role = ParseRole(parts[1]);
    const std::string hash = parts[3] + ":" + parts[4] + ":" + parts[5];
    std::optional<ParsedHash> parsed = ParseHash(hash);
    if (!UserNameProblem(parts[0]).empty() || !role || !parsed) {
      return bad("Name, Rolle oder Hash ist ungültig.");
    }
    if (parsed->iterations < min_iterations_) {
      return bad("der Hash hat weniger als " + std::to_string(min_iterations_) +
                 " Runden; bitte das Passwort mit `bescheid user passwd " +
                 parts[0] + "` neu setzen.");
    }
    out.push_back(Entry{User{parts[0], *role}, hash});
  }
  return Status::Ok();
}

Status UserStore::RefreshLocked() {
  struct stat st;
  FileStamp now;
  if (::lstat(path_.c_str(), &st) == 0) {
    now = FileStamp{true,
                    static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 +
                        st.st_mtim.tv_nsec,
                    static_cast<int64_t>(st.st_size), st.st_ino};
  }
  if (now.exists && now == stamp_) return Status::Ok();
  std::vector<Entry> fresh;
  FileStamp stamp;
  Status s = Load(fresh, stamp);
  if (!s.ok()) return s;
  entries_ = std::move(fresh);
  stamp_ = stamp;
  return Status::Ok();
}

std::optional<User> UserStore::Authenticate(const std::string& name,
                                            const std::string& password) {
  std::string hash;
  std::optional<User> user;
  {
    std::lock_guard<std::mutex> lock(mu_);
    (void)RefreshLocked();  // on failure the users last read stay
    for (const Entry& e : entries_) {
      if (e.user.name == name) {
        user = e.user;
        hash = e.hash;
      }
    }
  }
  if (!user) {
    std::call_once(dummy_once_, [this] {
      Result<std::string> dummy = HashPassword("-", min_iterations_);
      if (dummy.ok()) dummy_hash_ = *dummy;
    });
    (void)VerifyPassword(password, dummy_hash_);  // same work either way
    return std::nullopt;
  }
  if (!VerifyPassword(password, hash)) return std::nullopt;
  return user;
}

std::optional<User> UserStore::Find(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  (void)RefreshLocked();
  for (const Entry& e : entries_) {
    if (e.user.name == name) return e.user;
  }
  return std::nullopt;
}

std::vector<User> UserStore::List() {
  std::lock_guard<std::mutex> lock(mu_);
  (void)RefreshLocked();
  std::vector<User> users;
  for (const Entry& e : entries_) users.push_back(e.user);
  return users;
}

template <typename Change>
Status UserStore::Modify(Change change) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Status s = MakeDirs(DirName(path_)); !s.ok()) return s;
  const std::string lock_path = path_ + ".lock";
  ScopedFd lock_fd(::open(lock_path.c_str(),
                          O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (lock_fd.get() < 0 || ::flock(lock_fd.get(), LOCK_EX) != 0) {
    return Errno("Sperre kann nicht gesetzt werden", lock_path, errno);
  }
  std::vector<Entry> entries;
  FileStamp stamp;
  if (Status s = Load(entries, stamp); !s.ok()) return s;
  if (Status s = change(entries); !s.ok()) return s;
  std::vector<std::pair<User, std::string>> lines;
  for (const Entry& e : entries) lines.emplace_back(e.user, e.hash);
  // Hashes: private to the service user, even when root edits the file.
  WriteOptions private_file;
  private_file.mode = 0600;
  private_file.keep_owner = true;
  if (Status s =
          DefaultEnv()->WriteFileAtomic(path_, Serialize(lines), private_file);
      !s.ok()) {
    return IoError("Benutzerdatei '" + path_ +
                   "' kann nicht geschrieben werden (" + s.message() +
                   "); sie bleibt, wie sie war.");
  }
  entries_ = std::move(entries);
  stamp_ = FileStamp{};  // re-read (and stamp) on next use
  return RefreshLocked();
}

namespace {

// The hash of `password` if it is acceptable (else kInvalidInput with
// PasswordProblem's reason).
Result<std::string> AcceptedHash(const std::string& password, int iterations) {
  if (std::string p = PasswordProblem(password); !p.empty()) {
    return InvalidInput(p);
  }
  return HashPassword(password, iterations);
}

}  // namespace

Status UserStore::Add(const std::string& name, Role role,
                      const std::string& password, int iterations) {
  if (std::string p = UserNameProblem(name); !p.empty()) return InvalidInput(p);
  Result<std::string> hash = AcceptedHash(password, iterations);
  if (!hash.ok()) return hash.status();
  return Modify([&](std::vector<Entry>& entries) {
    for (const Entry& e : entries) {
      if (e.user.name == name) {
        return InvalidInput("Den Benutzer '" + name +
                            "' gibt es schon. Ein neues Passwort setzt "
                            "`bescheid user passwd " +
                            name + "`.");
      }
    }
    entries.push_back(Entry{User{name, role}, *hash});
    return Status::Ok();
  });
}

Status UserStore::SetPassword(const std::string& name,
                              const std::string& password, int iterations) {
  Result<std::string> hash = AcceptedHash(password, iterations);
  if (!hash.ok()) return hash.status();
  return Modify([&](std::vector<Entry>& entries) {
    for (Entry& e : entries) {
      if (e.user.name == name) {
        e.hash = *hash;
        return Status::Ok();
      }
    }
    return InvalidInput("Den Benutzer '" + name + "' gibt es nicht.");
  });
}

Status UserStore::Remove(const std::string& name) {
  return Modify([&](std::vector<Entry>& entries) {
    for (auto it = entries.begin(); it != entries.end(); ++it) {
      if (it->user.name == name) {
        entries.erase(it);
        return Status::Ok();
      }
    }
    return InvalidInput("Den Benutzer '" + name + "' gibt es nicht.");
  });
}

}  // namespace bescheid::review
