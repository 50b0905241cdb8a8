// The review and release station: German, server-rendered pages for the
// clerks (overview, review cases, drafts and release, problems, search),
// plus /healthz and /metrics for operators, served by Poco::Net's HTTP
// server on a thread pool and bounded queue of its own, so slow or many
// connections never take a decision worker. Everything the pages show or do
// goes through review::Station; the server holds only sessions and login
// throttling. docs/station.md describes pages and security.
//
// Use (the daemon):
//   auto users = review::UserStore::Open(settings.http.users_file);
//   auto server = review::HttpServer::Start(settings.http, &backend,
//                                           users->get(), hooks);
//   ...
//   (*server)->Stop();  // before the backend and the user store go
#ifndef BESCHEID_REVIEW_HTTP_SERVER_H_
#define BESCHEID_REVIEW_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "review/server_options.h"
#include "review/station.h"
#include "review/users.h"

namespace bescheid::review {

struct ServerHooks {
  // Seconds on a steady clock, for session idle time and login back-off;
  // empty: std::chrono::steady_clock. Tests pass their own.
  std::function<int64_t()> now_seconds;
  // Security-relevant events (failed logins, lock-outs, refused requests,
  // errors of the station), one English line each; empty: not logged.
  // Called from the server's threads.
  std::function<void(const std::string&)> log;
};

class HttpServer {
 public:
  // Listens on options.address:options.port (port 0: a free port, see
  // port()) and serves until Stop(). `station` and `users` are not owned
  // and must outlive the server (Stop() first). kConfig with a German
  // message when the address is invalid or the port cannot be bound;
  // options.enabled is not looked at (the caller decides).
  static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options,
                                                   Station* station,
                                                   UserStore* users,
                                                   ServerHooks hooks = {});

  // Stops accepting, lets running requests finish and joins the server's
  // threads. Idempotent; the destructor calls it.
  void Stop();
  ~HttpServer();

  // The port actually listened on.
  int port() const;

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_HTTP_SERVER_H_
