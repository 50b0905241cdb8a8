// The station's routes: one Site answers every request of the HTTP server
// (http_server.cc hands each to Handle). It checks the request (path
// characters, sizes), the session and its CSRF token, the role, and then
// asks the Station. Internal to the module. Thread-safe.
#ifndef BESCHEID_REVIEW_SITE_H_
#define BESCHEID_REVIEW_SITE_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "review/http_server.h"
#include "review/pages.h"
#include "review/server_options.h"
#include "review/sessions.h"
#include "review/station.h"
#include "review/users.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace bescheid::review {

// The name of the session cookie.
inline constexpr const char* kSessionCookie = "bescheid_sitzung";

// An answer before it is sent.
struct Reply {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool cacheable = false;  // else Cache-Control: no-store
  bool close = false;      // end the connection after it
};

// A request after the checks that need no session.
struct Request {
  std::string method;
  std::vector<std::string> segments;  // path split at '/', none empty
  std::string query;                  // raw, after '?'
  std::string address;                // client IP
  std::multimap<std::string, std::string> form;  // decoded POST body
  std::optional<Session> session;                // live, touched
};

// Whether `id` may name a review case (1 to 64 of 0-9 a-f -).
bool IsCaseId(const std::string& id);
// Whether `name` may be an Aktenzeichen or problem id: 1 to 128 of
// A-Z a-z 0-9 _ . -, starting with a letter or digit, no "..".
bool IsPlainName(const std::string& name);
// The decoded pairs of an application/x-www-form-urlencoded text; nullopt
// if malformed or holding more than `max_fields` pairs.
std::optional<std::multimap<std::string, std::string>> ParseForm(
    const std::string& text, size_t max_fields);

class Site {
 public:
  Site(const ServerOptions& options, Station* station, UserStore* users,
       ServerHooks hooks);

  // Answers one request; never throws.
  void Handle(Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response);

 private:
  std::optional<Reply> ReadRequest(Poco::Net::HTTPServerRequest& raw,
                                   Request& req);
  std::optional<Reply> ReadBody(Poco::Net::HTTPServerRequest& raw,
                                Request& req);
  void FindSession(Poco::Net::HTTPServerRequest& raw, Request& req);
  Reply Route(Request& req);
  Reply RouteLoggedIn(Request& req, const Viewer& viewer);
  Reply CaseRoutes(Request& req, const Viewer& viewer);

  Reply Health();
  Reply MetricsPage();
  Reply LoginForm(Request& req, const std::vector<Notice>& notices, int status,
                  const std::string& name);
  Reply Login(Request& req);
  Reply Logout(Request& req);
  Reply OverviewPage(const Viewer& v);
  Reply CasesPage(const Viewer& v);
  Reply CasePage(const std::string& id, const Viewer& v);
  Reply SaveCase(const std::string& id, Request& req, const Viewer& v);
  Reply CaseImageReply(const std::string& id, CaseImage kind,
                       const std::string& file);
  Reply DraftsPage(const Viewer& v, const std::vector<Notice>& notices,
                   int status);
  Reply Release(Request& req, const Viewer& v);
  Reply LetterReply(const std::string& file);
  Reply ProblemsPage(const Viewer& v, const std::vector<Notice>& notices,
                     int status);
  Reply Requeue(Request& req, const Viewer& v);
  Reply SearchPage(Request& req, const Viewer& v);

  Reply Page(int status, const std::string& title, const std::string& nav,
             const Viewer* v, const std::vector<Notice>& notices,
             const std::string& body, int refresh = 0);
  Reply ErrorPage(int status, const std::string& text,
                  const Viewer* v = nullptr);
  Reply StationFailure(const Status& s, const Viewer& v);
  Reply Redirect(const std::string& to);
  std::string SessionCookie(const std::string& id, bool expire) const;
  void Log(const std::string& line) const;

  const ServerOptions options_;
  Station* const station_;
  UserStore* const users_;
  const ServerHooks hooks_;
  SessionStore sessions_;
  LoginThrottle throttle_;
};

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_SITE_H_
