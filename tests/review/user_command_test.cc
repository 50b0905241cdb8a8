// `bescheid user` end to end: the built binary with the production rounds,
// passwords on standard input.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "review/users.h"
#include "test_util.h"

namespace bescheid::review {
namespace {

using testing::ReadFileOrDie;
using testing::RunCommand;
using testing::TempDir;

class UserCommandTest : public ::testing::Test {
 protected:
  // Runs `bescheid user ARGS` with `password` (if any) as one line of
  // standard input.
  testing::CommandResult Run(const std::string& args,
                             const std::string& password = "") {
    const std::string input =
        password.empty() ? "true" : "printf '%s\\n' '" + password + "'";
    return RunCommand(input + " | " BESCHEID_BINARY " user " + args +
                      " -D http.users-file=" + path_);
  }
  TempDir dir_;
  const std::string path_ = dir_ / "etc/users";
};

TEST_F(UserCommandTest, AddPasswdListRemove) {
  auto added = Run("add anna --role schlusszeichnung", "anna-passwort-1");
  ASSERT_EQ(added.exit_code, 0) << added.out;
  EXPECT_NE(added.out.find("Benutzer anna (schlusszeichnung) angelegt"),
            std::string::npos);
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_NE(
      ReadFileOrDie(path_).find("anna:schlusszeichnung:pbkdf2-sha256:600000:"),
      std::string::npos);
  // The file holds production hashes: the strict store reads it.
  auto store = UserStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_TRUE((*store)->Authenticate("anna", "anna-passwort-1"));

  EXPECT_EQ(Run("passwd anna", "anna-passwort-2").exit_code, 0);
  EXPECT_FALSE((*store)->Authenticate("anna", "anna-passwort-1"));
  EXPECT_TRUE((*store)->Authenticate("anna", "anna-passwort-2"));

  auto list = Run("list");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_EQ(list.out, "anna  schlusszeichnung\n");
  EXPECT_EQ(Run("remove anna").exit_code, 0);
  EXPECT_EQ(Run("list").out, "");
}

TEST_F(UserCommandTest, RefusalsAndUsageErrors) {
  EXPECT_EQ(Run("add anna", "anna-passwort-1").exit_code, 2);
  EXPECT_EQ(Run("add anna --role chef", "anna-passwort-1").exit_code, 2);
  EXPECT_EQ(Run("frobnicate").exit_code, 2);
  auto shortpw = Run("add anna --role sachbearbeitung", "kurz");
  EXPECT_EQ(shortpw.exit_code, 1);
  EXPECT_NE(shortpw.out.find("mindestens 10 Zeichen"), std::string::npos);
  EXPECT_EQ(
      Run("add 'a:b' --role sachbearbeitung", "anna-passwort-1").exit_code, 1);
  EXPECT_EQ(Run("passwd niemand", "anna-passwort-1").exit_code, 1);
  EXPECT_EQ(Run("remove niemand").exit_code, 1);
  auto no_password = Run("add anna --role sachbearbeitung", "");
  EXPECT_EQ(no_password.exit_code, 1);
  EXPECT_NE(no_password.out.find("kein Passwort gelesen"), std::string::npos);
}

}  // namespace
}  // namespace bescheid::review
