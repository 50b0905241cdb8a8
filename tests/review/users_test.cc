// The station's users file: hashes, changes, the file's shape and mode.
#include "review/users.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "test_util.h"

namespace bescheid::review {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

constexpr int kRounds = 1000;

TEST(PasswordHashTest, VerifiesOnlyThePassword) {
  Result<std::string> hash = HashPassword("richtig-richtig", kRounds);
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("1000:", 0), 0u);
  EXPECT_TRUE(VerifyPassword("richtig-richtig", *hash));
  EXPECT_FALSE(VerifyPassword("richtig-falsch", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
  // Salted: the same password hashes differently each time.
  Result<std::string> again = HashPassword("richtig-richtig", kRounds);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);
  EXPECT_TRUE(VerifyPassword("richtig-richtig", *again));
}

TEST(PasswordHashTest, KnownPbkdf2Vector) {
  // PBKDF2-HMAC-SHA256("passwd", "saltsalt", 2 rounds), as Python's
  // hashlib.pbkdf2_hmac computes it: the file holds a standard hash.
  const std::string hash =
      "2:73616c7473616c74:"
      "9de3e333be4daeab9187fbc6840e742b1d295e180364d52a5cd6d0b16a29ab36";
  EXPECT_TRUE(VerifyPassword("passwd", hash));
  EXPECT_FALSE(VerifyPassword("passwe", hash));
}

TEST(PasswordHashTest, MalformedHashesNeverVerify) {
  for (const std::string& bad :
       {std::string(""), std::string("1000"), std::string("x:00:00"),
        std::string("0:73616c7473616c74:") + std::string(64, '0'),
        std::string("1000:zz:") + std::string(64, '0'),
        std::string("1000:73616c7473616c74:00"),
        std::string("999999999999:73616c7473616c74:") + std::string(64, '0')}) {
    EXPECT_FALSE(VerifyPassword("", bad)) << bad;
  }
}

TEST(UserNameTest, PlainNamesOnly) {
  for (const char* good : {"anna", "a.mueller", "B_2", "x-y"}) {
    EXPECT_EQ(UserNameProblem(good), "") << good;
  }
  for (const std::string& bad :
       {std::string(""), std::string("a:b"), std::string("a b"),
        std::string(".anna"), std::string("-anna"), std::string("ä"),
        std::string("a\nb"), std::string(65, 'a')}) {
    EXPECT_NE(UserNameProblem(bad), "") << bad;
  }
  EXPECT_NE(PasswordProblem("kurz"), "");
  EXPECT_EQ(PasswordProblem("lang-genug"), "");
  EXPECT_NE(PasswordProblem(std::string(1025, 'x')), "");
}

TEST(UserStoreTest, AddAuthenticateChangeRemove) {
  TempDir dir;
  auto store = UserStore::Open(dir / "var/users", kRounds);
  ASSERT_TRUE(store.ok()) << store.status().message();
  UserStore& users = **store;
  EXPECT_TRUE(users.List().empty());
  ASSERT_TRUE(
      users.Add("anna", Role::kSachbearbeitung, "erstes-passwort", kRounds)
          .ok());
  ASSERT_TRUE(
      users.Add("bert", Role::kSchlusszeichnung, "bert-passwort", kRounds)
          .ok());
  Status twice =
      users.Add("anna", Role::kSchlusszeichnung, "anderes-passwort", kRounds);
  EXPECT_EQ(twice.code(), StatusCode::kInvalidInput);
  EXPECT_NE(twice.message().find("gibt es schon"), std::string::npos);
  std::optional<User> anna = users.Authenticate("anna", "erstes-passwort");
  ASSERT_TRUE(anna);
  EXPECT_EQ(anna->role, Role::kSachbearbeitung);
  EXPECT_FALSE(users.Authenticate("anna", "bert-passwort"));
  EXPECT_FALSE(users.Authenticate("niemand", "erstes-passwort"));

  ASSERT_TRUE(users.SetPassword("anna", "zweites-passwort", kRounds).ok());
  EXPECT_FALSE(users.Authenticate("anna", "erstes-passwort"));
  EXPECT_TRUE(users.Authenticate("anna", "zweites-passwort"));
  EXPECT_EQ(users.SetPassword("niemand", "zweites-passwort", kRounds).code(),
            StatusCode::kInvalidInput);
  Status too_short = users.SetPassword("anna", "kurz", kRounds);
  EXPECT_EQ(too_short.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(too_short.message(), PasswordProblem("kurz"));
  EXPECT_TRUE(users.Authenticate("anna", "zweites-passwort"));
  EXPECT_EQ(users.Add("kurz", Role::kSachbearbeitung, "kurz", kRounds).code(),
            StatusCode::kInvalidInput);

  ASSERT_TRUE(users.Remove("anna").ok());
  EXPECT_FALSE(users.Find("anna"));
  ASSERT_EQ(users.List().size(), 1u);
  EXPECT_EQ(users.List()[0].name, "bert");
  EXPECT_EQ(users.Remove("anna").code(), StatusCode::kInvalidInput);
}

TEST(UserStoreTest, FileIsPrivateAndWrittenWhole) {
  TempDir dir;
  const std::string path = dir / "users";
  auto store = UserStore::Open(path, kRounds);
  ASSERT_TRUE(store.ok());
  ::umask(022);
  ASSERT_TRUE(
      (*store)
          ->Add("anna", Role::kSachbearbeitung, "erstes-passwort", kRounds)
          .ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string text = ReadFileOrDie(path);
  EXPECT_NE(text.find("\nanna:sachbearbeitung:pbkdf2-sha256:1000:"),
            std::string::npos);
  EXPECT_EQ(text.find("erstes-passwort"), std::string::npos);
  // No temporary file is left beside it.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "users" || name == "users.lock") << name;
  }
}

// The hashes stay private whatever the umask, and a file that root edits
// for the service user stays the service user's.
TEST(UserStoreTest, PasswdKeepsTheFilePrivateAndItsOwner) {
  TempDir dir;
  const std::string path = dir / "users";
  auto store = UserStore::Open(path, kRounds);
  ASSERT_TRUE(store.ok());
  const mode_t old_umask = ::umask(0);
  Status added =
      (*store)->Add("anna", Role::kSachbearbeitung, "erstes-passwort", kRounds);
  ::umask(old_umask);
  ASSERT_TRUE(added.ok()) << added.message();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);

  if (::geteuid() != 0) GTEST_SKIP() << "giving a file away needs root";
  ASSERT_EQ(::chown(path.c_str(), 4321, 4322), 0);
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);  // widened by hand
  ASSERT_TRUE((*store)->SetPassword("anna", "zweites-passwort", kRounds).ok());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4321u);
  EXPECT_EQ(st.st_gid, 4322u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_TRUE((*store)->Authenticate("anna", "zweites-passwort"));
}

TEST(UserStoreTest, AnotherProcessesChangesCountAtOnce) {
  TempDir dir;
  const std::string path = dir / "users";
  auto station = UserStore::Open(path, kRounds);
  auto cli = UserStore::Open(path, kRounds);
  ASSERT_TRUE(station.ok() && cli.ok());
  ASSERT_TRUE(
      (*cli)
          ->Add("anna", Role::kSachbearbeitung, "erstes-passwort", kRounds)
          .ok());
  EXPECT_TRUE((*station)->Authenticate("anna", "erstes-passwort"));
  ASSERT_TRUE((*cli)->SetPassword("anna", "zweites-passwort", kRounds).ok());
  EXPECT_FALSE((*station)->Authenticate("anna", "erstes-passwort"));
  EXPECT_TRUE((*station)->Authenticate("anna", "zweites-passwort"));
  ASSERT_TRUE((*cli)->Remove("anna").ok());
  EXPECT_FALSE((*station)->Find("anna"));
}

TEST(UserStoreTest, WeakOrMalformedFilesAreRefused) {
  TempDir dir;
  const std::string path = dir / "users";
  {
    auto store = UserStore::Open(path, kRounds);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(
        (*store)
            ->Add("anna", Role::kSachbearbeitung, "erstes-passwort", kRounds)
            .ok());
  }
  // The production minimum refuses a file hashed with fewer rounds.
  auto strict = UserStore::Open(path);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().code(), StatusCode::kConfig);
  EXPECT_NE(strict.status().message().find("Zeile 3"), std::string::npos);
  EXPECT_NE(strict.status().message().find("600000"), std::string::npos);

  for (const std::string& line :
       {std::string("anna:chef:pbkdf2-sha256:1000:00112233445566778899:") +
            std::string(64, '0'),
        std::string("anna:sachbearbeitung:md5:1000:0011:") +
            std::string(64, '0'),
        std::string("anna:sachbearbeitung"),
        std::string("an na:sachbearbeitung:pbkdf2-sha256:1000:") +
            "00112233445566778899:" + std::string(64, '0')}) {
    WriteFileOrDie(path, "# users\n" + line + "\n");
    auto bad = UserStore::Open(path, kRounds);
    ASSERT_FALSE(bad.ok()) << line;
    EXPECT_NE(bad.status().message().find("Zeile 2"), std::string::npos);
  }
}

TEST(UserStoreTest, ConcurrentAuthenticationIsSafe) {
  TempDir dir;
  auto store = UserStore::Open(dir / "users", kRounds);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      (*store)
          ->Add("anna", Role::kSachbearbeitung, "erstes-passwort", kRounds)
          .ok());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if ((*store)->Authenticate("anna", "erstes-passwort")) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
}

}  // namespace
}  // namespace bescheid::review
