#include "review/site.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <exception>
#include <istream>

#include "review/metrics_text.h"
#include "review/tokens.h"

namespace bescheid::review {
namespace {

constexpr size_t kMaxUri = 2048;
constexpr size_t kMaxFormFields = 2000;
constexpr int64_t kDrainCap = 1 << 20;  // read past a refused body at most
constexpr size_t kMaxSessions = 4096;
constexpr size_t kMaxQuery = 100;
constexpr size_t kSearchLimit = 50;

Clock ClockOr(const std::function<int64_t()>& now) {
  if (now) return now;
  return [] {
    return static_cast<int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::steady_clock::now().time_since_epoch())
            .count());
  };
}

bool AllOf(const std::string& s, const char* allowed) {
  return s.find_first_not_of(allowed) == std::string::npos;
}

constexpr const char* kPlainChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";

std::string FormValue(const Request& req, const std::string& key) {
  auto it = req.form.find(key);
  return it == req.form.end() ? std::string() : it->second;
}

// "<digits><suffix>" -> the number (1 to 9999), else nullopt.
std::optional<int> NumberWithSuffix(const std::string& s,
                                    const std::string& suffix, int min) {
  if (s.size() <= suffix.size() || s.size() > suffix.size() + 4 ||
      s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  const std::string digits = s.substr(0, s.size() - suffix.size());
  if (!AllOf(digits, "0123456789")) return std::nullopt;
  const int n = std::stoi(digits);
  if (n < min) return std::nullopt;
  return n;
}

std::string LocalNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%d.%m.%Y %H:%M", &tm);
  return buf;
}

}  // namespace

bool IsCaseId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && id[0] != '-' &&
         AllOf(id, "0123456789abcdef-");
}

bool IsPlainName(const std::string& name) {
  return !name.empty() && name.size() <= 128 &&
         std::isalnum(static_cast<unsigned char>(name[0])) &&
         AllOf(name, kPlainChars) && name.find("..") == std::string::npos;
}

std::optional<std::multimap<std::string, std::string>> ParseForm(
    const std::string& text, size_t max_fields) {
  std::multimap<std::string, std::string> out;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string pair = text.substr(start, end - start);
    if (!pair.empty()) {
      if (out.size() >= max_fields) return std::nullopt;
      const size_t eq = pair.find('=');
      std::string key, value;
      auto decode = [](std::string encoded, std::string& decoded) {
        std::replace(encoded.begin(), encoded.end(), '+', ' ');  // + is %2B
        Poco::URI::decode(encoded, decoded);
      };
      try {
        decode(pair.substr(0, eq), key);
        if (eq != std::string::npos) decode(pair.substr(eq + 1), value);
      } catch (const Poco::Exception&) {
        return std::nullopt;
      }
      out.emplace(std::move(key), std::move(value));
    }
    start = end + 1;
  }
  return out;
}

Site::Site(const ServerOptions& options, Station* station, UserStore* users,
           ServerHooks hooks)
    : options_(options),
      station_(station),
      users_(users),
      hooks_(std::move(hooks)),
      sessions_(static_cast<int64_t>(options.session_idle_minutes) * 60,
                kMaxSessions, ClockOr(hooks_.now_seconds)),
      throttle_(ClockOr(hooks_.now_seconds)) {}

void Site::Log(const std::string& line) const {
  if (!hooks_.log) return;
  std::string clean = line;  // a user name must not forge log lines
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  hooks_.log("station: " + clean);
}

void Site::Handle(Poco::Net::HTTPServerRequest& raw,
                  Poco::Net::HTTPServerResponse& response) {
  Reply reply;
  try {
    Request req;
    std::optional<Reply> refused = ReadRequest(raw, req);
    reply = refused ? std::move(*refused) : Route(req);
  } catch (const std::exception& e) {
    Log(std::string("error answering a request: ") + e.what());
    reply = ErrorPage(500,
                      "Ein interner Fehler ist aufgetreten. Bitte versuchen "
                      "Sie es erneut; hält der Fehler an, verständigen Sie die "
                      "Betreuung des Dienstes.");
  }
  try {
    response.setStatus(
        static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.set("Content-Security-Policy",
                 "default-src 'self'; frame-ancestors 'none'; "
                 "form-action 'self'");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Frame-Options", "DENY");
    response.set("Cache-Control",
                 reply.cacheable ? "private, max-age=3600" : "no-store");
    for (const auto& [name, value] : reply.headers) response.add(name, value);
    if (reply.close) response.setKeepAlive(false);
    response.setContentType(reply.content_type);
    response.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    response.sendBuffer(reply.body.data(), reply.body.size());
  } catch (const std::exception& e) {
    Log(std::string("error sending a reply: ") + e.what());
  }
}

// Method, path and query, and the body's size, before any session is
// looked at: anything odd ends here.
std::optional<Reply> Site::ReadRequest(Poco::Net::HTTPServerRequest& raw,
                                       Request& req) {
  req.method = raw.getMethod();
  req.address = raw.clientAddress().host().toString();
  const std::string& uri = raw.getURI();
  if (uri.size() > kMaxUri) {
    return ErrorPage(414, "Die Adresse ist zu lang.");
  }
  const size_t q = uri.find('?');
  const std::string path = uri.substr(0, q);
  if (q != std::string::npos) req.query = uri.substr(q + 1);
  // Only plain characters: no percent-encoding, so no encoded "..", no
  // backslashes, no absolute URIs.
  if (path.empty() || path[0] != '/' ||
      !AllOf(path,
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
             "0123456789/_.-")) {
    Log("refused path from " + req.address);
    return ErrorPage(400, "Diese Adresse gibt es nicht.");
  }
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string segment = path.substr(start, end - start);
    if (segment == "." || segment == ".." ||
        (segment.empty() && end != path.size())) {
      Log("refused path from " + req.address);
      return ErrorPage(400, "Diese Adresse gibt es nicht.");
    }
    if (!segment.empty()) req.segments.push_back(segment);
    start = end + 1;
  }
  if (std::optional<Reply> refused = ReadBody(raw, req)) return refused;
  FindSession(raw, req);
  return std::nullopt;
}

std::optional<Reply> Site::ReadBody(Poco::Net::HTTPServerRequest& raw,
                                    Request& req) {
  const int64_t max = options_.max_body_bytes;
  const int64_t declared =
      raw.hasContentLength() ? raw.getContentLength64() : -1;
  auto too_large = [&] {
    Reply r = ErrorPage(413, "Die Anfrage ist zu groß (höchstens " +
                                 std::to_string(max) + " Bytes).");
    r.close = true;
    return r;
  };
  if (declared > max) {
    if (declared <= max + kDrainCap) raw.stream().ignore(declared);
    Log("refused a body of " + std::to_string(declared) + " bytes from " +
        req.address);
    return too_large();
  }
  const bool has_body = declared > 0 || raw.getChunkedTransferEncoding();
  if (!has_body) return std::nullopt;
  std::string body(static_cast<size_t>(max) + 1, '\0');
  std::istream& in = raw.stream();
  in.read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<size_t>(in.gcount()));
  if (static_cast<int64_t>(body.size()) > max) {
    in.ignore(kDrainCap);
    return too_large();
  }
  if (req.method != "POST") return std::nullopt;
  const std::string type = raw.getContentType();
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    return ErrorPage(415,
                     "Formulardaten werden nur als "
                     "application/x-www-form-urlencoded angenommen.");
  }
  auto form = ParseForm(body, kMaxFormFields);
  if (!form) return ErrorPage(400, "Die Formulardaten sind fehlerhaft.");
  req.form = std::move(*form);
  return std::nullopt;
}

void Site::FindSession(Poco::Net::HTTPServerRequest& raw, Request& req) {
  Poco::Net::NameValueCollection cookies;
  raw.getCookies(cookies);
  const std::string id = cookies.get(kSessionCookie, "");
  if (id.size() != 64 || !AllOf(id, "0123456789abcdef")) return;
  req.session = sessions_.Touch(id);
  if (!req.session || req.session->user.empty()) return;
  // A user removed from the file (or given another role) counts at once.
  std::optional<User> user = users_->Find(req.session->user);
  if (!user) {
    sessions_.Remove(id);
    req.session.reset();
    return;
  }
  req.session->role = user->role;
}

Reply Site::Route(Request& req) {
  const auto& s = req.segments;
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST";
  if (s.size() == 1 && s[0] == "healthz" && get) return Health();
  if (s.size() == 1 && s[0] == "metrics" && get) return MetricsPage();
  if (s.size() == 2 && s[0] == "static" && s[1] == "station.css" && get) {
    Reply r;
    r.content_type = "text/css; charset=utf-8";
    r.body = Pages::Css();
    r.cacheable = true;
    return r;
  }
  if (s.size() == 1 && s[0] == "login" && get) {
    if (req.session && !req.session->user.empty()) return Redirect("/");
    return LoginForm(req, {}, 200, "");
  }
  if (s.size() == 1 && s[0] == "login" && post) return Login(req);
  if (!get && !post) {
    Reply r = ErrorPage(405, "Diese Anfrage wird nicht unterstützt.");
    r.headers.emplace_back("Allow", "GET, POST");
    return r;
  }
  if (!req.session || req.session->user.empty()) return Redirect("/login");
  const Viewer viewer{req.session->user, req.session->role, req.session->csrf};
  if (post && !ConstantTimeEquals(FormValue(req, "csrf"), viewer.csrf)) {
    Log("refused a POST without valid CSRF token from " + req.address);
    return ErrorPage(403,
                     "Das Formular ist abgelaufen oder stammt nicht von "
                     "dieser Seite. Bitte laden Sie die Seite neu und "
                     "versuchen Sie es erneut.",
                     &viewer);
  }
  if (s.size() == 1 && s[0] == "logout" && post) return Logout(req);
  return RouteLoggedIn(req, viewer);
}

Reply Site::RouteLoggedIn(Request& req, const Viewer& v) {
  const auto& s = req.segments;
  const bool post = req.method == "POST";
  if (s.empty() && !post) return OverviewPage(v);
  if (s.size() == 1 && s[0] == "faelle" && !post) return CasesPage(v);
  if (s.size() >= 2 && s[0] == "fall") return CaseRoutes(req, v);
  if (s.size() == 1 && s[0] == "entwuerfe") {
    return post ? Release(req, v) : DraftsPage(v, {}, 200);
  }
  if (s.size() == 2 && s[0] == "brief" && !post) return LetterReply(s[1]);
  if (s.size() == 1 && s[0] == "probleme") {
    return post ? Requeue(req, v) : ProblemsPage(v, {}, 200);
  }
  if (s.size() == 1 && s[0] == "suche" && !post) return SearchPage(req, v);
  return ErrorPage(404, "Diese Seite gibt es nicht.", &v);
}

Reply Site::CaseRoutes(Request& req, const Viewer& v) {
  const auto& s = req.segments;
  const bool post = req.method == "POST";
  if (!IsCaseId(s[1])) {
    Log("refused case id from " + req.address);
    return ErrorPage(404, "Diesen Fall gibt es nicht.", &v);
  }
  if (s.size() == 2) return post ? SaveCase(s[1], req, v) : CasePage(s[1], v);
  if (s.size() == 4 && !post && s[2] == "seite") {
    return CaseImageReply(s[1], CaseImage::kPage, s[3]);
  }
  if (s.size() == 4 && !post && s[2] == "feld") {
    return CaseImageReply(s[1], CaseImage::kCrop, s[3]);
  }
  return ErrorPage(404, "Diese Seite gibt es nicht.", &v);
}

Reply Site::Health() {
  const review::Health h = station_->CheckHealth();
  Reply r;
  r.content_type = "text/plain; charset=utf-8";
  r.status = h.ok ? 200 : 503;
  r.body = h.ok ? "ok\n" : "unhealthy\n";
  for (const std::string& p : h.problems) r.body += p + "\n";
  return r;
}

Reply Site::MetricsPage() {
  Reply r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = PrometheusText(station_->GetMetrics());
  return r;
}

Reply Site::LoginForm(Request& req, const std::vector<Notice>& notices,
                      int status, const std::string& name) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!req.session) {
    Result<Session> fresh = sessions_.Create("", Role::kSachbearbeitung);
    if (!fresh.ok()) {
      Log(fresh.status().message());
      return ErrorPage(500, "Die Anmeldung ist gerade nicht möglich.");
    }
    req.session = *fresh;
    headers.emplace_back("Set-Cookie", SessionCookie(fresh->id, false));
  }
  Reply r = Page(status, "Anmeldung", "", nullptr, notices,
                 Pages::Login(req.session->csrf, name));
  r.headers = std::move(headers);
  return r;
}

Reply Site::Login(Request& req) {
  if (!req.session ||
      !ConstantTimeEquals(FormValue(req, "csrf"), req.session->csrf)) {
    Log("refused a login without valid CSRF token from " + req.address);
    req.session.reset();
    Reply r = LoginForm(req,
                        {{"fehler",
                          "Die Anmeldeseite war abgelaufen. Bitte melden Sie "
                          "sich erneut an."}},
                        403, "");
    return r;
  }
  const std::string name = FormValue(req, "name").substr(0, 64);
  const std::string password = FormValue(req, "passwort");
  if (const int64_t wait = throttle_.WaitSeconds(name, req.address)) {
    Log("login throttled for user '" + name + "' from " + req.address);
    return LoginForm(req,
                     {{"fehler", "Zu viele Fehlversuche. Bitte warten Sie " +
                                     std::to_string(wait) +
                                     " Sekunden und versuchen Sie es dann "
                                     "erneut."}},
                     429, name);
  }
  std::optional<User> user = users_->Authenticate(name, password);
  if (!user) {
    throttle_.RecordFailure(name, req.address);
    Log("failed login for user '" + name + "' from " + req.address);
    return LoginForm(
        req, {{"fehler", "Benutzername oder Passwort ist falsch."}}, 401, name);
  }
  throttle_.RecordSuccess(name);
  // A new id at login: an id known before cannot be carried into it.
  sessions_.Remove(req.session->id);
  Result<Session> fresh = sessions_.Create(user->name, user->role);
  if (!fresh.ok()) {
    Log(fresh.status().message());
    return ErrorPage(500, "Die Anmeldung ist gerade nicht möglich.");
  }
  Reply r = Redirect("/");
  r.headers.emplace_back("Set-Cookie", SessionCookie(fresh->id, false));
  return r;
}

Reply Site::Logout(Request& req) {
  sessions_.Remove(req.session->id);
  Reply r = Redirect("/login");
  r.headers.emplace_back("Set-Cookie", SessionCookie("", true));
  return r;
}

std::string Site::SessionCookie(const std::string& id, bool expire) const {
  return std::string(kSessionCookie) + "=" + id +
         "; Path=/; HttpOnly; SameSite=Strict" +
         (options_.secure_cookies ? "; Secure" : "") +
         (expire ? "; Max-Age=0" : "");
}

Reply Site::OverviewPage(const Viewer& v) {
  Result<Overview> o = station_->GetOverview();
  if (!o.ok()) return StationFailure(o.status(), v);
  return Page(200, "Übersicht", "/", &v, {},
              Pages::OverviewBody(*o, LocalNow()), 60);
}

Reply Site::CasesPage(const Viewer& v) {
  Result<std::vector<CaseSummary>> cases = station_->ListCases();
  if (!cases.ok()) return StationFailure(cases.status(), v);
  return Page(200, "Prüffälle", "/faelle", &v, {}, Pages::Cases(*cases));
}

Reply Site::CasePage(const std::string& id, const Viewer& v) {
  Result<Case> c = station_->GetCase(id);
  if (!c.ok()) return StationFailure(c.status(), v);
  std::vector<PageImage> pages;
  for (int p = 1; p <= std::min(c->pages, 50); ++p) {
    PageImage image{p, std::nullopt};
    Result<Blob> blob = station_->GetCaseImage(id, CaseImage::kPage, p);
    if (blob.ok()) image.size = PngSize(blob->bytes);
    pages.push_back(image);
  }
  return Page(200, "Fall " + id, "/faelle", &v, {},
              Pages::CasePage(*c, pages, CaseForm{}, v.csrf));
}

Reply Site::SaveCase(const std::string& id, Request& req, const Viewer& v) {
  Result<Case> c = station_->GetCase(id);
  if (!c.ok()) return StationFailure(c.status(), v);
  CaseForm form;
  std::map<std::string, std::string> changed;
  for (size_t i = 0; i < c->fields.size(); ++i) {
    auto it = req.form.find("f" + std::to_string(i));
    if (it == req.form.end()) continue;
    form.submitted[i] = it->second;
    if (it->second != c->fields[i].value) {
      changed[c->fields[i].id] = it->second;
    }
  }
  Result<SaveResult> saved = station_->SaveCorrections(id, changed, v.user);
  std::vector<PageImage> pages;
  for (int p = 1; p <= std::min(c->pages, 50); ++p) {
    Result<Blob> blob = station_->GetCaseImage(id, CaseImage::kPage, p);
    pages.push_back({p, blob.ok() ? PngSize(blob->bytes) : std::nullopt});
  }
  Notice notice{"fehler",
                "Gespeichert, aber der Antrag ist noch nicht gültig."};
  if (!saved.ok() && saved.status().code() == StatusCode::kInvalidInput) {
    notice.text = "Nicht gespeichert.";
    form.problems = {saved.status().message()};
  } else if (!saved.ok()) {
    return StationFailure(saved.status(), v);
  } else if (!saved->problems.empty()) {
    form.problems = saved->problems;
  } else {
    return Page(200, "Fall " + id + " gespeichert", "/faelle", &v,
                {{"erfolg", "Gespeichert."}}, Pages::Saved(*saved));
  }
  // Show the case as it is now (its audit trail), with what was entered.
  Result<Case> now = station_->GetCase(id);
  return Page(422, "Fall " + id, "/faelle", &v, {notice},
              Pages::CasePage(now.ok() ? *now : *c, pages, form, v.csrf));
}

Reply Site::CaseImageReply(const std::string& id, CaseImage kind,
                           const std::string& file) {
  std::optional<int> index =
      NumberWithSuffix(file, ".png", kind == CaseImage::kPage ? 1 : 0);
  if (!index) return ErrorPage(404, "Dieses Bild gibt es nicht.");
  Result<Blob> blob = station_->GetCaseImage(id, kind, *index);
  if (!blob.ok()) {
    return ErrorPage(blob.status().code() == StatusCode::kNotFound ? 404 : 500,
                     "Dieses Bild gibt es nicht.");
  }
  Reply r;
  r.content_type =
      blob->media_type == "image/jpeg" ? "image/jpeg" : "image/png";
  r.body = std::move(blob->bytes);
  return r;
}

Reply Site::DraftsPage(const Viewer& v, const std::vector<Notice>& notices,
                       int status) {
  Result<std::vector<Draft>> drafts = station_->ListDrafts();
  if (!drafts.ok()) return StationFailure(drafts.status(), v);
  return Page(status, "Entwürfe", "/entwuerfe", &v, notices,
              Pages::Drafts(*drafts, v));
}

Reply Site::Release(Request& req, const Viewer& v) {
  if (v.role != Role::kSchlusszeichnung) {
    Log("refused release by '" + v.user + "' (no release role)");
    return ErrorPage(
        403, "Freigeben darf nur, wer die Rolle Schlusszeichnung hat.", &v);
  }
  std::vector<std::string> selected;
  for (auto [it, end] = req.form.equal_range("az"); it != end; ++it) {
    if (!IsPlainName(it->second)) {
      return ErrorPage(400, "Ein ausgewähltes Aktenzeichen ist ungültig.", &v);
    }
    selected.push_back(it->second);
  }
  if (selected.empty()) {
    return DraftsPage(
        v, {{"fehler", "Bitte mindestens einen Entwurf auswählen."}}, 422);
  }
  Status s = station_->Release(selected, v.user);
  if (s.code() == StatusCode::kInvalidInput) {
    return DraftsPage(v, {{"fehler", "Nichts freigegeben: " + s.message()}},
                      409);
  }
  if (!s.ok()) return StationFailure(s, v);
  const std::string n = std::to_string(selected.size());
  return DraftsPage(
      v,
      {{"erfolg", selected.size() == 1
                      ? "1 Schreiben freigegeben; es liegt im Postausgang."
                      : n + " Schreiben freigegeben; sie liegen im "
                            "Postausgang."}},
      200);
}

Reply Site::LetterReply(const std::string& file) {
  const std::string suffix = ".pdf";
  const std::string az =
      file.size() > suffix.size() && file.compare(file.size() - suffix.size(),
                                                  suffix.size(), suffix) == 0
          ? file.substr(0, file.size() - suffix.size())
          : std::string();
  if (!IsPlainName(az))
    return ErrorPage(404, "Dieses Schreiben gibt es nicht.");
  Result<Blob> letter = station_->GetLetter(az);
  if (!letter.ok()) {
    return ErrorPage(
        letter.status().code() == StatusCode::kNotFound ? 404 : 500,
        letter.status().code() == StatusCode::kNotFound
            ? "Dieses Schreiben gibt es nicht."
            : "Das Schreiben kann gerade nicht gezeigt werden.");
  }
  Reply r;
  r.content_type = "application/pdf";
  r.body = std::move(letter->bytes);
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"" + az + ".pdf\"");
  return r;
}

Reply Site::ProblemsPage(const Viewer& v, const std::vector<Notice>& notices,
                         int status) {
  Result<std::vector<Problem>> problems = station_->ListProblems();
  if (!problems.ok()) return StationFailure(problems.status(), v);
  return Page(status, "Probleme", "/probleme", &v, notices,
              Pages::Problems(*problems, v.csrf));
}

Reply Site::Requeue(Request& req, const Viewer& v) {
  const std::string id = FormValue(req, "id");
  if (!IsPlainName(id)) {
    return ErrorPage(400, "Diese Datei gibt es nicht.", &v);
  }
  Status s = station_->Requeue(id, v.user);
  if (s.code() == StatusCode::kInvalidInput ||
      s.code() == StatusCode::kNotFound) {
    return ProblemsPage(
        v, {{"fehler", "Nicht erneut eingereiht: " + s.message()}}, 409);
  }
  if (!s.ok()) return StationFailure(s, v);
  return ProblemsPage(
      v, {{"erfolg", "Die Datei ist wieder im Eingang und wird bearbeitet."}},
      200);
}

Reply Site::SearchPage(Request& req, const Viewer& v) {
  std::string query;
  try {
    for (const auto& [key, value] :
         Poco::URI("/?" + req.query).getQueryParameters()) {
      if (key == "q") query = value;
    }
  } catch (const Poco::Exception&) {
    return ErrorPage(400, "Die Suchanfrage ist fehlerhaft.", &v);
  }
  const char* ws = " \t\r\n";
  query.erase(query.find_last_not_of(ws) + 1);
  query.erase(0, query.find_first_not_of(ws));
  if (query.size() > kMaxQuery) {
    return ErrorPage(400,
                     "Der Suchbegriff ist zu lang (höchstens 100 "
                     "Zeichen).",
                     &v);
  }
  std::vector<SearchHit> hits;
  if (!query.empty()) {
    Result<std::vector<SearchHit>> found =
        station_->Search(query, kSearchLimit);
    if (!found.ok()) return StationFailure(found.status(), v);
    hits = std::move(*found);
  }
  return Page(200, "Suche", "/suche", &v, {},
              Pages::Search(query, !query.empty(), hits));
}

Reply Site::Page(int status, const std::string& title, const std::string& nav,
                 const Viewer* v, const std::vector<Notice>& notices,
                 const std::string& body, int refresh) {
  Reply r;
  r.status = status;
  r.body = Pages::Layout(title, nav, v, notices, body, refresh);
  return r;
}

Reply Site::ErrorPage(int status, const std::string& text, const Viewer* v) {
  const char* title = "Fehler";
  switch (status) {
    case 400:
      title = "Ungültige Anfrage";
      break;
    case 403:
      title = "Nicht erlaubt";
      break;
    case 404:
      title = "Nicht gefunden";
      break;
    case 413:
      title = "Anfrage zu groß";
      break;
    case 429:
      title = "Zu viele Versuche";
      break;
    default:
      break;
  }
  return Page(status, title, "", v, {},
              Pages::Error(text, v ? "/" : "/login",
                           v ? "Zur Übersicht" : "Zur Anmeldung"));
}

Reply Site::StationFailure(const Status& s, const Viewer& v) {
  if (s.code() == StatusCode::kNotFound) {
    return ErrorPage(404, s.message(), &v);
  }
  if (s.code() == StatusCode::kInvalidInput) {
    return ErrorPage(422, s.message(), &v);
  }
  Log("station failed: " + s.message());
  return ErrorPage(500,
                   "Der Dienst konnte die Anfrage nicht ausführen. Bitte "
                   "versuchen Sie es später erneut; hält der Fehler an, "
                   "verständigen Sie die Betreuung des Dienstes. (" +
                       s.message() + ")",
                   &v);
}

Reply Site::Redirect(const std::string& to) {
  Reply r;
  r.status = 303;
  r.headers.emplace_back("Location", to);
  r.content_type = "text/plain; charset=utf-8";
  r.body = "Weiter: " + to + "\n";
  return r;
}

}  // namespace bescheid::review
