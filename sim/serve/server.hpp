// `ehsim serve`: an HTTP server on one address, each connection on a thread
// of its own, every request handed to the Api. Binds to 127.0.0.1 unless told
// otherwise; anywhere else it needs the Api's token.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "serve/api.hpp"

namespace ehsim::serve {

class Server {
 public:
  // Binds at once (port 0: any free port); throws std::runtime_error saying why it cannot.
  Server(Api& api, const std::string& host, std::uint16_t port);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  void run();   // accepts until stop()
  void stop();  // from any thread; open connections are shut down

  struct State;  // the listening socket and the open connections (server.cpp)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace ehsim::serve
