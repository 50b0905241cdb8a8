#include "review/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include <mutex>

#include "review/pages.h"
#include "review/site.h"

namespace bescheid::review {
namespace {

// Every request goes to the one Site.
class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Site* site) : site_(site) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    site_->Handle(request, response);
  }

 private:
  Site* site_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Site* site) : site_(site) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(site_);
  }

 private:
  Site* site_;
};

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<Site> site;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  int port = 0;
  std::mutex stop_mu;
  bool stopped = false;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::port() const { return impl_->port; }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(
    const ServerOptions& options, Station* station, UserStore* users,
    ServerHooks hooks) {
  if (Status s = Pages::Check(); !s.ok()) return s;
  if (options.threads < 1 || options.queue < 1 || options.port < 0 ||
      options.port > 65535 || options.max_body_bytes < 1 ||
      options.session_idle_minutes < 1) {
    return ConfigError(
        "Die Einstellungen http.* der Prüfstelle sind "
        "ungültig.");
  }
  auto impl = std::make_unique<Impl>();
  impl->site = std::make_unique<Site>(options, station, users, hooks);
  try {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(options.address,
                                         static_cast<uint16_t>(options.port)),
                /*reuseAddress=*/true);
    socket.listen(options.queue);
    impl->port = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(options.queue);
    params->setTimeout(Poco::Timespan(15, 0));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setMaxKeepAliveRequests(100);
    // A request thread idle this long ends (one stays). Poco's dispatcher
    // can miss the stop signal while it starts waiting and then waits out
    // this time, so it also bounds how long Stop() may take.
    params->setThreadIdleTime(Poco::Timespan(1, 0));
    // The station's own threads: Poco's dispatcher serves connections on
    // at most `threads` of them; the rest wait in its queue.
    impl->pool = std::make_unique<Poco::ThreadPool>(1, options.threads);
    impl->server = std::make_unique<Poco::Net::HTTPServer>(
        new Factory(impl->site.get()), *impl->pool, socket, params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return ConfigError(
        "Die Prüfstelle kann nicht auf " + options.address + ":" +
        std::to_string(options.port) +
        " lauschen (http.address, http.port): " + e.displayText());
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  try {
    impl_->server->stopAll(false);
    // Running requests end within the socket timeout; then the pool is
    // idle.
    impl_->pool->joinAll();
  } catch (const Poco::Exception&) {
    // Stopping must not throw; the threads end with the process.
  }
}

}  // namespace bescheid::review
