// The review station's settings as plain data: the config module reads the
// http.* keys into this struct, and its defaults here are the keys'
// built-in defaults (the one place they stand). No Poco, no I/O.
#ifndef BESCHEID_REVIEW_SERVER_OPTIONS_H_
#define BESCHEID_REVIEW_SERVER_OPTIONS_H_

#include <cstdint>
#include <string>

namespace bescheid::review {

struct ServerOptions {
  bool enabled = true;                // http.enabled
  std::string address = "127.0.0.1";  // http.address: IP to listen on
  int port = 8080;                    // http.port; 0 picks a free port
  bool secure_cookies = false;        // http.secure-cookies (behind TLS)
  // http.users-file; empty: "users" in the folder of the journal
  // (store.path), resolved by the config module.
  std::string users_file;
  int session_idle_minutes = 30;     // http.session-idle-minutes
  int threads = 4;                   // http.threads: request threads
  int queue = 32;                    // http.queue: connections waiting
  int64_t max_body_bytes = 1 << 16;  // http.max-body-bytes: request body
};

}  // namespace bescheid::review

#endif  // BESCHEID_REVIEW_SERVER_OPTIONS_H_
