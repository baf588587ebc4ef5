#include "serve/server.hpp"

#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ehsim::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int max_connections = 64;
// A connection is one request and its response: one that takes longer (a
// client that sends slowly or stops reading) is cut, so no client holds a
// thread for long.
constexpr auto deadline = std::chrono::seconds(60);

}  // namespace

struct Server::State {
  Api& api;
  bool loopback = true;  // bound to a loopback address: requests must say so in Host
  asio::io_context context;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  // Open connections, by a number of their own: the socket's descriptor
  // (-1 once it is closing) and when it must end.
  struct Open {
    int fd = -1;
    Clock::time_point until;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::uint64_t, Open> open;
  std::uint64_t next = 0;
  std::thread reaper;

  State(Api& a, const std::string& host, std::uint16_t port) : api(a), acceptor(context) {
    beast::error_code error;
    const auto address = asio::ip::make_address(host, error);
    if (error) throw std::runtime_error("'" + host + "' is not an IP address to listen on");
    loopback = address.is_loopback();
    const tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol(), error);
    if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor.bind(endpoint, error);
    if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error)
      throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + error.message());
  }

  // Shuts down each connection past its deadline (all of them when
  // stopping): its blocking read or write returns at once.
  void reap() {
    std::unique_lock lock(mutex);
    while (!stopping || !open.empty()) {
      const auto now = Clock::now();
      for (const auto& [id, connection] : open)
        if (connection.fd >= 0 && (stopping || now >= connection.until)) ::shutdown(connection.fd, SHUT_RDWR);
      if (stopping && open.empty()) break;
      changed.wait_for(lock, std::chrono::milliseconds(200));
    }
  }
};

namespace {

// Whether a request's Host names this machine's loopback (a page of another
// site, reached by DNS rebinding, names its own).
bool loopback_host(std::string_view host) {
  const auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(']') == std::string_view::npos) host = host.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.find(']') - 1);
  const bool ipv4_loopback =
      host.rfind("127.", 0) == 0 && host.find_first_not_of("0123456789.") == std::string_view::npos;
  return ipv4_loopback || host == "localhost" || host == "::1";
}

// One request, one response, then the connection closes. A client that goes
// away mid-request or mid-run costs nothing: its run stays in the queue.
void exchange(Server::State& state, tcp::socket& socket) {
  beast::error_code error;
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.body_limit(state.api.options().max_body_bytes);
  http::read(socket, buffer, parser, error);
  http::response<http::string_body> out;
  const auto refuse = [&](http::status status, const char* message) {
    out.result(status);
    out.set(http::field::content_type, "application/json");
    out.body() = std::string(R"({"error": ")") + message + "\"}";
  };
  if (error == http::error::body_limit) {
    refuse(http::status::payload_too_large, "the request is too large");
  } else if (!error) {
    const auto& in = parser.get();
    Request request;
    request.method = std::string(in.method_string());
    request.target = std::string(in.target());
    request.body = in.body();
    for (const auto& field : in) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[name] = std::string(field.value());
    }
    const auto host = in[http::field::host];
    if (state.loopback && !loopback_host(std::string_view(host.data(), host.size()))) {
      refuse(http::status::forbidden, "this server answers only to 127.0.0.1, localhost or ::1");
    } else {
      const Response response = state.api.handle(request);
      out.result(static_cast<http::status>(response.status));
      out.set(http::field::content_type, response.content_type);
      if (!response.download.empty())
        out.set(http::field::content_disposition, "attachment; filename=\"" + response.download + "\"");
      out.body() = response.body;
    }
  }
  if (!error || error == http::error::body_limit) {
    out.set(http::field::cache_control, "no-store");
    out.version(11);
    out.keep_alive(false);
    out.prepare_payload();
    http::write(socket, out, error);
    socket.shutdown(tcp::socket::shutdown_send, error);
  }
}

void serve_connection(Server::State& state, tcp::socket socket, std::uint64_t id) {
  exchange(state, socket);
  {
    const std::lock_guard lock(state.mutex);
    state.open[id].fd = -1;  // closing: its number may go to another connection
  }
  {
    beast::error_code ignored;
    tcp::socket closing(std::move(socket));
    closing.close(ignored);
  }  // gone before the server can be
  const std::lock_guard lock(state.mutex);
  state.open.erase(id);
  state.changed.notify_all();
}

}  // namespace

Server::Server(Api& api, const std::string& host, std::uint16_t port)
    : state_(std::make_unique<State>(api, host, port)) {
  state_->reaper = std::thread([state = state_.get()] { state->reap(); });
}

Server::~Server() {
  stop();
  state_->reaper.join();  // every connection shut down and gone
}

std::uint16_t Server::port() const { return state_->acceptor.local_endpoint().port(); }

void Server::run() {
  while (!state_->stopping) {
    beast::error_code error;
    tcp::socket socket(state_->context);
    state_->acceptor.accept(socket, error);
    if (error || state_->stopping) continue;
    std::uint64_t id = 0;
    {
      const std::lock_guard lock(state_->mutex);
      if (state_->open.size() >= max_connections) {  // busy: refused at once, not queued
        socket.close(error);
        continue;
      }
      id = state_->next++;
      state_->open[id] = {socket.native_handle(), Clock::now() + deadline};
    }
    std::thread(serve_connection, std::ref(*state_), std::move(socket), id).detach();
  }
}

void Server::stop() {
  if (state_->stopping.exchange(true)) return;
  state_->changed.notify_all();
  // Wake the blocking accept with a connection of our own.
  beast::error_code error;
  tcp::socket poke(state_->context);
  auto endpoint = state_->acceptor.local_endpoint(error);
  if (!error && endpoint.address().is_unspecified())
    endpoint.address(endpoint.protocol() == tcp::v4() ? asio::ip::address(asio::ip::address_v4::loopback())
                                                      : asio::ip::address(asio::ip::address_v6::loopback()));
  if (!error) poke.connect(endpoint, error);
}

}  // namespace ehsim::serve
