// The station over real HTTP: a server on 127.0.0.1 with a free port, the
// fake Station behind it, users with few PBKDF2 rounds (the production
// minimum is held by UserStore::Open's default), and a clock the test
// moves.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <sstream>

#include "review/fake_station.h"
#include "review/http_server.h"
#include "review/site.h"
#include "test_util.h"

namespace bescheid::review {
namespace {

using testing::FakeStation;
using testing::TempDir;

constexpr int kTestRounds = 1000;

struct Answer {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  // The session cookie's value from Set-Cookie, or "".
  std::string Cookie() const {
    for (auto [it, end] = headers.equal_range("Set-Cookie"); it != end; ++it) {
      const std::string prefix = std::string(kSessionCookie) + "=";
      if (it->second.rfind(prefix, 0) == 0) {
        return it->second.substr(prefix.size(),
                                 it->second.find(';') - prefix.size());
      }
    }
    return "";
  }
  std::string SetCookie() const { return Header("Set-Cookie"); }
};

// The CSRF token in a page's forms.
std::string CsrfOf(const std::string& html) {
  std::smatch m;
  static const std::regex re("name=\"csrf\" value=\"([0-9a-f]{64})\"");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

std::string Encode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "&=+;?/#%", out);
  return out;
}

class StationServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto users = UserStore::Open(dir_ / "users", kTestRounds);
    ASSERT_TRUE(users.ok()) << users.status().message();
    users_ = std::move(*users);
    ASSERT_TRUE(users_
                    ->Add("anna", Role::kSachbearbeitung, "anna-passwort-1",
                          kTestRounds)
                    .ok());
    ASSERT_TRUE(users_
                    ->Add("bert", Role::kSchlusszeichnung, "bert-passwort-1",
                          kTestRounds)
                    .ok());
    ASSERT_TRUE(users_
                    ->Add("carla", Role::kSchlusszeichnung, "carla-passwort-1",
                          kTestRounds)
                    .ok());
    Restart(ServerOptions{});
  }

  void Restart(ServerOptions options) {
    server_.reset();
    options.address = "127.0.0.1";
    options.port = 0;
    ServerHooks hooks;
    hooks.now_seconds = [this] { return now_.load(); };
    hooks.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_ += line + "\n";
    };
    auto server = HttpServer::Start(options, &station_, users_.get(), hooks);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }

  Answer Send(const std::string& method, const std::string& uri,
              const std::string& cookie = "", const std::string& body = "",
              const std::string& type = "application/x-www-form-urlencoded") {
    Poco::Net::HTTPClientSession session(
        "127.0.0.1", static_cast<uint16_t>(server_->port()));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, uri,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!cookie.empty()) {
      request.set("Cookie", std::string(kSessionCookie) + "=" + cookie);
    }
    if (method == "POST") {
      request.setContentType(type);
      request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session.sendRequest(request) << body;
    return Receive(session);
  }

  static Answer Receive(Poco::Net::HTTPClientSession& session) {
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Answer a;
    a.status = response.getStatus();
    for (const auto& [name, value] : response) a.headers.emplace(name, value);
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    a.body = body.str();
    return a;
  }

  struct Login {
    std::string cookie;
    std::string csrf;
  };

  Answer TryLogin(const std::string& name, const std::string& password,
                  Login* anonymous = nullptr) {
    Answer form = Send("GET", "/login");
    const std::string cookie = form.Cookie(), csrf = CsrfOf(form.body);
    if (anonymous) *anonymous = {cookie, csrf};
    return Send("POST", "/login", cookie,
                "csrf=" + csrf + "&name=" + Encode(name) +
                    "&passwort=" + Encode(password));
  }

  Login LogIn(const std::string& name, const std::string& password) {
    Answer a = TryLogin(name, password);
    EXPECT_EQ(a.status, 303) << a.body;
    Login login{a.Cookie(), ""};
    login.csrf = CsrfOf(Send("GET", "/", login.cookie).body);
    EXPECT_EQ(login.csrf.size(), 64u);
    return login;
  }

  std::string log() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }

  TempDir dir_;
  FakeStation station_;
  std::unique_ptr<UserStore> users_;
  std::atomic<int64_t> now_{1000};
  std::mutex log_mu_;
  std::string log_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(StationServerTest, ListensOnAFreePort) {
  EXPECT_GT(server_->port(), 0);
  EXPECT_NE(server_->port(), 8080);
}

TEST_F(StationServerTest, EveryPageRequiresLogin) {
  const std::string id = FakeStation::kCaseId;
  for (const std::string& uri :
       {std::string("/"), std::string("/faelle"), "/fall/" + id,
        "/fall/" + id + "/seite/1.png", "/fall/" + id + "/feld/0.png",
        std::string("/entwuerfe"), std::string("/brief/RPS15-IM-2017-0007.pdf"),
        std::string("/probleme"), std::string("/suche?q=Beispiel"),
        std::string("/gibt-es-nicht")}) {
    Answer a = Send("GET", uri);
    EXPECT_EQ(a.status, 303) << uri;
    EXPECT_EQ(a.Header("Location"), "/login") << uri;
  }
  for (const std::string& uri :
       {"/fall/" + id, std::string("/entwuerfe"), std::string("/probleme"),
        std::string("/logout")}) {
    Answer a = Send("POST", uri, "", "az=RPS15-IM-2017-0007&id=p-0001");
    EXPECT_EQ(a.status, 303) << uri;
    EXPECT_EQ(a.Header("Location"), "/login") << uri;
  }
  // Nothing but health and metrics reached the service.
  for (const std::string& call : station_.calls()) {
    EXPECT_TRUE(call == "CheckHealth:" || call == "GetMetrics:") << call;
  }
  EXPECT_TRUE(station_.released().empty());
}

TEST_F(StationServerTest, HealthAndMetricsNeedNoLogin) {
  Answer ok = Send("GET", "/healthz");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok\n");
  station_.health = Health{false, {"journal not reachable: disk I/O error"}};
  Answer bad = Send("GET", "/healthz");
  EXPECT_EQ(bad.status, 503);
  EXPECT_NE(bad.body.find("journal not reachable: disk I/O error"),
            std::string::npos);
  Answer metrics = Send("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(
      metrics.Header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_NE(metrics.body.find("bescheid_letters_released_total 0\n"),
            std::string::npos);
}

TEST_F(StationServerTest, SecurityHeadersOnEveryAnswer) {
  Login anna = LogIn("anna", "anna-passwort-1");
  for (const Answer& a :
       {Send("GET", "/login"), Send("GET", "/healthz"), Send("GET", "/metrics"),
        Send("GET", "/", anna.cookie), Send("GET", "/nirgends", anna.cookie),
        Send("GET", "/fall/../x"),
        Send("GET", "/fall/" + std::string(FakeStation::kCaseId), anna.cookie),
        Send("GET", "/static/station.css")}) {
    EXPECT_EQ(a.Header("Content-Security-Policy"),
              "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
    EXPECT_EQ(a.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(a.Header("Referrer-Policy"), "no-referrer");
    EXPECT_FALSE(a.Header("Cache-Control").empty());
  }
  EXPECT_EQ(Send("GET", "/", anna.cookie).Header("Cache-Control"), "no-store");
}

TEST_F(StationServerTest, PagesHaveNoInlineScriptOrStyle) {
  Login bert = LogIn("bert", "bert-passwort-1");
  for (const std::string& uri :
       {std::string("/"), std::string("/faelle"),
        "/fall/" + std::string(FakeStation::kCaseId), std::string("/entwuerfe"),
        std::string("/probleme"), std::string("/suche?q=Beispiel")}) {
    Answer a = Send("GET", uri, bert.cookie);
    EXPECT_EQ(a.status, 200) << uri;
    EXPECT_EQ(a.body.find("<script"), std::string::npos) << uri;
    EXPECT_EQ(a.body.find("style="), std::string::npos) << uri;
    EXPECT_EQ(a.body.find("<style"), std::string::npos) << uri;
    EXPECT_FALSE(std::regex_search(a.body, std::regex("\\son[a-z]+="))) << uri;
    EXPECT_NE(a.body.find("<html lang=\"de\">"), std::string::npos) << uri;
  }
}

TEST_F(StationServerTest, SessionCookieAttributesAndRenewalAtLogin) {
  Login before;
  Answer a = TryLogin("anna", "anna-passwort-1", &before);
  ASSERT_EQ(a.status, 303);
  EXPECT_EQ(a.Header("Location"), "/");
  const std::string after = a.Cookie();
  EXPECT_EQ(after.size(), 64u);
  EXPECT_NE(after, before.cookie);
  const std::string set_cookie = a.SetCookie();
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);
  // The id known before the login does not carry it.
  EXPECT_EQ(Send("GET", "/", before.cookie).status, 303);
  EXPECT_EQ(Send("GET", "/", after).status, 200);

  ServerOptions secure;
  secure.secure_cookies = true;
  Restart(secure);
  EXPECT_NE(TryLogin("anna", "anna-passwort-1").SetCookie().find("; Secure"),
            std::string::npos);
}

TEST_F(StationServerTest, LoginWithoutValidCsrfIsRefused) {
  Answer form = Send("GET", "/login");
  const std::string cookie = form.Cookie();
  Answer missing =
      Send("POST", "/login", cookie, "name=anna&passwort=anna-passwort-1");
  EXPECT_EQ(missing.status, 403);
  Answer wrong = Send(
      "POST", "/login", cookie,
      "csrf=" + std::string(64, 'a') + "&name=anna&passwort=anna-passwort-1");
  EXPECT_EQ(wrong.status, 403);
  Answer no_session =
      Send("POST", "/login", "",
           "csrf=" + CsrfOf(form.body) + "&name=anna&passwort=anna-passwort-1");
  EXPECT_EQ(no_session.status, 403);
  EXPECT_TRUE(wrong.Cookie().empty() || wrong.Cookie() != cookie);
}

TEST_F(StationServerTest, PostsWithoutTheSessionsCsrfTokenAreRefused) {
  Login anna = LogIn("anna", "anna-passwort-1");
  Login bert = LogIn("bert", "bert-passwort-1");
  const std::string id = FakeStation::kCaseId;
  struct Post {
    std::string uri, body;
  };
  for (const Post& p : {Post{"/fall/" + id, "f0=08111000"},
                        Post{"/entwuerfe", "az=RPS15-IM-2017-0007"},
                        Post{"/probleme", "id=p-0001"}, Post{"/logout", ""}}) {
    EXPECT_EQ(Send("POST", p.uri, bert.cookie, p.body).status, 403) << p.uri;
    // Another session's token is no good either.
    EXPECT_EQ(
        Send("POST", p.uri, bert.cookie, p.body + "&csrf=" + anna.csrf).status,
        403)
        << p.uri;
  }
  EXPECT_FALSE(station_.Called("SaveCorrections:"));
  EXPECT_FALSE(station_.Called("Release:"));
  EXPECT_FALSE(station_.Called("Requeue:"));
  EXPECT_EQ(Send("GET", "/", bert.cookie).status, 200);  // still logged in
}

TEST_F(StationServerTest, WrongPasswordAndUnknownUserFail) {
  EXPECT_EQ(TryLogin("anna", "falsch-falsch").status, 401);
  Answer unknown = TryLogin("niemand", "anna-passwort-1");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(unknown.body.find("Benutzername oder Passwort ist falsch."),
            std::string::npos);
  EXPECT_NE(log().find("failed login for user 'anna'"), std::string::npos);
}

TEST_F(StationServerTest, FailedLoginsAreThrottledPerUser) {
  for (int i = 0; i < LoginThrottle::kFreePerUser; ++i) {
    EXPECT_EQ(TryLogin("anna", "falsch-falsch").status, 401);
  }
  // Now even the right password must wait.
  Answer locked = TryLogin("anna", "anna-passwort-1");
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.body.find("Bitte warten Sie 5 Sekunden"), std::string::npos);
  // Another user from the same address is not locked yet.
  EXPECT_EQ(TryLogin("bert", "bert-passwort-1").status, 303);
  now_ += LoginThrottle::kFirstWait;
  EXPECT_EQ(TryLogin("anna", "falsch-falsch").status, 401);
  // The wait doubles.
  now_ += LoginThrottle::kFirstWait;
  EXPECT_EQ(TryLogin("anna", "anna-passwort-1").status, 429);
  now_ += LoginThrottle::kFirstWait;
  EXPECT_EQ(TryLogin("anna", "anna-passwort-1").status, 303);
  // A success clears the count.
  EXPECT_EQ(TryLogin("anna", "falsch-falsch").status, 401);
  EXPECT_EQ(TryLogin("anna", "anna-passwort-1").status, 303);
}

TEST_F(StationServerTest, FailedLoginsAreThrottledPerAddress) {
  for (int i = 0; i < LoginThrottle::kFreePerAddress; ++i) {
    EXPECT_EQ(TryLogin("user" + std::to_string(i), "falsch-falsch").status,
              401);
  }
  EXPECT_EQ(TryLogin("bert", "bert-passwort-1").status, 429);
}

TEST_F(StationServerTest, IdleSessionsEnd) {
  Login anna = LogIn("anna", "anna-passwort-1");
  now_ += 29 * 60;
  EXPECT_EQ(Send("GET", "/", anna.cookie).status, 200);  // restarts idle time
  now_ += 30 * 60;
  EXPECT_EQ(Send("GET", "/", anna.cookie).status, 200);
  now_ += 30 * 60 + 1;
  Answer gone = Send("GET", "/", anna.cookie);
  EXPECT_EQ(gone.status, 303);
  EXPECT_EQ(gone.Header("Location"), "/login");
}

TEST_F(StationServerTest, LogoutEndsTheSession) {
  Login anna = LogIn("anna", "anna-passwort-1");
  Answer out = Send("POST", "/logout", anna.cookie, "csrf=" + anna.csrf);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.Header("Location"), "/login");
  EXPECT_NE(out.SetCookie().find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Send("GET", "/", anna.cookie).status, 303);
}

TEST_F(StationServerTest, RemovedUserLosesTheSessionAtOnce) {
  Login anna = LogIn("anna", "anna-passwort-1");
  ASSERT_TRUE(users_->Remove("anna").ok());
  EXPECT_EQ(Send("GET", "/", anna.cookie).status, 303);
}

TEST_F(StationServerTest, SachbearbeitungCannotRelease) {
  Login anna = LogIn("anna", "anna-passwort-1");
  Answer page = Send("GET", "/entwuerfe", anna.cookie);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("name=\"az\""), std::string::npos);
  EXPECT_NE(page.body.find("Freigeben darf nur die Schlusszeichnung"),
            std::string::npos);
  Answer a = Send("POST", "/entwuerfe", anna.cookie,
                  "csrf=" + anna.csrf + "&az=RPS15-IM-2017-0007");
  EXPECT_EQ(a.status, 403);
  EXPECT_FALSE(station_.Called("Release:"));
}

TEST_F(StationServerTest, SchlusszeichnungReleases) {
  Login bert = LogIn("bert", "bert-passwort-1");
  Answer page = Send("GET", "/entwuerfe", bert.cookie);
  EXPECT_NE(page.body.find("value=\"RPS15-IM-2017-0007\""), std::string::npos);
  Answer a = Send("POST", "/entwuerfe", bert.cookie,
                  "csrf=" + bert.csrf + "&az=RPS15-IM-2017-0007");
  EXPECT_EQ(a.status, 200);
  EXPECT_NE(a.body.find("1 Schreiben freigegeben"), std::string::npos);
  EXPECT_EQ(station_.released(),
            std::vector<std::string>{"RPS15-IM-2017-0007"});
  EXPECT_TRUE(station_.Called("Release:RPS15-IM-2017-0007,:bert"));
}

TEST_F(StationServerTest, FourEyesRefusalIsShown) {
  // bert corrects the case (it decides as a draft), then may not release it.
  Login bert = LogIn("bert", "bert-passwort-1");
  const std::string id = FakeStation::kCaseId;
  Answer saved = Send("POST", "/fall/" + id, bert.cookie,
                      "csrf=" + bert.csrf +
                          "&f0=08111000&f1=" + Encode("Gemeinde Musterhausen"));
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_NE(saved.body.find("RPS15-IM-2017-0042"), std::string::npos);
  Answer page = Send("GET", "/entwuerfe", bert.cookie);
  EXPECT_NE(page.body.find("Sie – Freigabe durch eine andere Person"),
            std::string::npos);
  EXPECT_EQ(page.body.find("value=\"RPS15-IM-2017-0042\""), std::string::npos);
  // Sent anyway (an old form): the service refuses, the page says why.
  Answer a = Send(
      "POST", "/entwuerfe", bert.cookie,
      "csrf=" + bert.csrf + "&az=RPS15-IM-2017-0007&az=RPS15-IM-2017-0042");
  EXPECT_EQ(a.status, 409);
  EXPECT_NE(a.body.find("Vier-Augen-Prinzip: RPS15-IM-2017-0042 hat bert "
                        "selbst korrigiert"),
            std::string::npos);
  EXPECT_TRUE(station_.released().empty());
  // Another person with the role may.
  Login carla = LogIn("carla", "carla-passwort-1");
  EXPECT_EQ(Send("POST", "/entwuerfe", carla.cookie,
                 "csrf=" + carla.csrf + "&az=RPS15-IM-2017-0042")
                .status,
            200);
  EXPECT_EQ(station_.released(),
            std::vector<std::string>{"RPS15-IM-2017-0042"});
}

TEST_F(StationServerTest, TraversalAttemptsNeverReachTheService) {
  Login anna = LogIn("anna", "anna-passwort-1");
  for (const char* uri :
       {"/fall/../../etc/passwd", "/fall/%2e%2e/%2e%2e/etc/passwd",
        "/fall/..%2f..%2fetc%2fpasswd", "/fall/872b1998c3a3-1%2f..%2f..",
        "/fall/872b1998c3a3-1/seite/..%2f1.png", "//etc/passwd",
        "/fall//etc/passwd", "/fall/etc/passwd", "/fall/ETC",
        "/fall/872b1998c3a3-1/seite/../../../etc/passwd.png",
        "/brief/..%2F..%2Fetc%2Fpasswd.pdf", "/brief/../etc/passwd.pdf",
        "/brief/.htaccess.pdf", "/brief/%2Fetc%2Fpasswd.pdf",
        "/fall/872b1998c3a3-1/seite/-1.png",
        "/fall/872b1998c3a3-1/feld/0.png.txt", "http://evil.example/etc/passwd",
        "/static/../users", "/fall/872b1998c3a3-1\\..\\..\\etc"}) {
    Answer a = Send("GET", uri, anna.cookie);
    EXPECT_TRUE(a.status == 400 || a.status == 404) << uri << " " << a.status;
  }
  for (const std::string& call : station_.calls()) {
    EXPECT_EQ(call.find("etc"), std::string::npos) << call;
    EXPECT_EQ(call.find(".."), std::string::npos) << call;
    EXPECT_EQ(call.find("/"), std::string::npos) << call;
  }
  EXPECT_FALSE(station_.Called("GetCase:"));
  EXPECT_FALSE(station_.Called("GetLetter:"));
  // A problem id with a path in a form field is refused too.
  EXPECT_EQ(Send("POST", "/probleme", anna.cookie,
                 "csrf=" + anna.csrf + "&id=" + Encode("../../etc/passwd"))
                .status,
            400);
  EXPECT_FALSE(station_.Called("Requeue:"));
}

TEST_F(StationServerTest, OversizeBodiesAreRefused) {
  ServerOptions small;
  small.max_body_bytes = 1024;
  Restart(small);
  Login anna = LogIn("anna", "anna-passwort-1");
  const std::string id = FakeStation::kCaseId;
  Answer big = Send("POST", "/fall/" + id, anna.cookie,
                    "csrf=" + anna.csrf + "&f0=" + std::string(2000, '1'));
  EXPECT_EQ(big.status, 413);
  EXPECT_FALSE(station_.Called("SaveCorrections:"));
  // Announced but not sent: refused without reading it.
  Poco::Net::HTTPClientSession session("127.0.0.1",
                                       static_cast<uint16_t>(server_->port()));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request("POST", "/login",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setContentType("application/x-www-form-urlencoded");
  request.setContentLength64(1LL << 30);
  session.sendRequest(request);
  EXPECT_EQ(Receive(session).status, 413);
  // Chunked, without a length.
  Poco::Net::HTTPClientSession chunked_session(
      "127.0.0.1", static_cast<uint16_t>(server_->port()));
  Poco::Net::HTTPRequest chunked("POST", "/login",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  chunked.setContentType("application/x-www-form-urlencoded");
  chunked.setChunkedTransferEncoding(true);
  chunked_session.sendRequest(chunked) << std::string(3000, 'x');
  EXPECT_EQ(Receive(chunked_session).status, 413);
}

TEST_F(StationServerTest, CasePageShowsFieldsBoxesAndCrops) {
  Login anna = LogIn("anna", "anna-passwort-1");
  const std::string id = FakeStation::kCaseId;
  Answer page = Send("GET", "/fall/" + id, anna.cookie);
  ASSERT_EQ(page.status, 200);
  const std::string& b = page.body;
  EXPECT_NE(b.find("<svg viewBox=\"0 0 1240 1754\""), std::string::npos);
  EXPECT_NE(b.find("<rect class=\"feldrahmen zweifel\" x=\"100\" y=\"200\" "
                   "width=\"400\" height=\"50\">"),
            std::string::npos);
  EXPECT_NE(b.find("src=\"/fall/" + id + "/feld/0.png\""), std::string::npos);
  EXPECT_NE(b.find("<label for=\"f0\">1. Amtlicher Gemeindeschlüssel</label>"),
            std::string::npos);
  EXPECT_NE(b.find("id=\"f0\" name=\"f0\" type=\"text\" value=\"0811100O\""),
            std::string::npos);
  EXPECT_NE(b.find("41 %"), std::string::npos);
  EXPECT_NE(b.find("Der AGS ist unsicher gelesen."), std::string::npos);
  // Every input has a label.
  std::regex input_re("<input id=\"(f[0-9]+)\"");
  for (auto it = std::sregex_iterator(b.begin(), b.end(), input_re);
       it != std::sregex_iterator(); ++it) {
    EXPECT_NE(b.find("<label for=\"" + (*it)[1].str() + "\">"),
              std::string::npos);
  }
  Answer image = Send("GET", "/fall/" + id + "/seite/1.png", anna.cookie);
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.Header("Content-Type"), "image/png");
  EXPECT_EQ(image.body, testing::FakePng(1240, 1754));
  EXPECT_EQ(Send("GET", "/fall/" + id + "/feld/0.png", anna.cookie).status,
            200);
  EXPECT_EQ(Send("GET", "/fall/" + id + "/seite/2.png", anna.cookie).status,
            404);
  EXPECT_EQ(Send("GET", "/fall/0000-1", anna.cookie).status, 404);
}

TEST_F(StationServerTest, SavingShowsValidationProblemsAndTheAuditTrail) {
  Login anna = LogIn("anna", "anna-passwort-1");
  const std::string id = FakeStation::kCaseId;
  Answer a = Send("POST", "/fall/" + id, anna.cookie,
                  "csrf=" + anna.csrf +
                      "&f0=0811100&f1=" + Encode("Gemeinde Musterhausen"));
  EXPECT_EQ(a.status, 422);
  EXPECT_NE(a.body.find("Der AGS &apos;0811100&apos; hat nicht 8 Ziffern."),
            std::string::npos);
  EXPECT_NE(a.body.find("value=\"0811100\""), std::string::npos);
  EXPECT_NE(a.body.find("<td>anna</td><td>korrektur</td><td>applicant.ags</td>"
                        "<td>0811100O</td><td>0811100</td>"),
            std::string::npos);
  // Only the changed field was sent.
  EXPECT_TRUE(station_.Called("SaveCorrections:" + id + ":anna"));
}

TEST_F(StationServerTest, LetterPreviewIsAPdf) {
  Login anna = LogIn("anna", "anna-passwort-1");
  Answer a = Send("GET", "/brief/RPS15-IM-2017-0007.pdf", anna.cookie);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.Header("Content-Type"), "application/pdf");
  EXPECT_EQ(a.body, "%PDF-1.7 RPS15-IM-2017-0007");
  EXPECT_EQ(a.Header("Cache-Control"), "no-store");
  EXPECT_EQ(Send("GET", "/brief/RPS15-IM-2017-9999.pdf", anna.cookie).status,
            404);
}

TEST_F(StationServerTest, ProblemsAreEscapedAndRequeued) {
  Login anna = LogIn("anna", "anna-passwort-1");
  Answer page = Send("GET", "/probleme", anna.cookie);
  EXPECT_NE(page.body.find("antrag&lt;script&gt;.xml"), std::string::npos);
  EXPECT_EQ(page.body.find("antrag<script>"), std::string::npos);
  Answer a = Send("POST", "/probleme", anna.cookie,
                  "csrf=" + anna.csrf + "&id=p-0001");
  EXPECT_EQ(a.status, 200);
  EXPECT_TRUE(station_.Called("Requeue:p-0001:anna"));
  EXPECT_NE(a.body.find("wieder im Eingang"), std::string::npos);
  Answer again = Send("POST", "/probleme", anna.cookie,
                      "csrf=" + anna.csrf + "&id=p-0001");
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("Diese Datei gibt es nicht mehr."),
            std::string::npos);
}

TEST_F(StationServerTest, SearchFindsAndEscapesTheQuery) {
  Login anna = LogIn("anna", "anna-passwort-1");
  Answer hit = Send("GET", "/suche?q=Beispiel", anna.cookie);
  EXPECT_NE(hit.body.find("href=\"/brief/RPS15-IM-2017-0007.pdf\""),
            std::string::npos);
  Answer none = Send("GET", "/suche?q=%3Cb%3Ex", anna.cookie);
  EXPECT_NE(none.body.find("&lt;b&gt;x"), std::string::npos);
  EXPECT_EQ(none.body.find("<b>x"), std::string::npos);
  EXPECT_TRUE(station_.Called("Search:<b>x:50"));
}

TEST_F(StationServerTest, OverviewChartsTheLastDaysAndRefreshes) {
  station_.overview.today = {{"BEWILLIGUNG", 3}, {"PRUEFUNG", 1}};
  station_.overview.review = 1;
  station_.overview.last_days = {
      {"2026-11-25", {{"BEWILLIGUNG", 4}, {"ABLEHNUNG", 2}}},
      {"2026-11-26", {{"BEWILLIGUNG", 3}, {"PRUEFUNG", 1}}}};
  Login anna = LogIn("anna", "anna-passwort-1");
  Answer a = Send("GET", "/", anna.cookie);
  EXPECT_NE(a.body.find("<meta http-equiv=\"refresh\" content=\"60\">"),
            std::string::npos);
  EXPECT_NE(a.body.find("<rect class=\"bewilligung\""), std::string::npos);
  EXPECT_NE(a.body.find("<title>25.11.2026: Ablehnung 2</title>"),
            std::string::npos);
  EXPECT_NE(a.body.find("<th scope=\"row\">26.11.2026</th>"),
            std::string::npos);
}

TEST_F(StationServerTest, UnknownMethodsAndBodyTypes) {
  Login anna = LogIn("anna", "anna-passwort-1");
  EXPECT_EQ(Send("DELETE", "/faelle", anna.cookie).status, 405);
  EXPECT_EQ(Send("POST", "/probleme", anna.cookie,
                 "{\"csrf\":\"" + anna.csrf + "\"}", "application/json")
                .status,
            415);
}

}  // namespace
}  // namespace bescheid::review
