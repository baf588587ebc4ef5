#include "serve/server.hpp"

#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ehsim::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct Server::State {
  Api& api;
  asio::io_context context;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};

  State(Api& a, const std::string& host, std::uint16_t port) : api(a), acceptor(context) {
    beast::error_code error;
    const auto address = asio::ip::make_address(host, error);
    if (error) throw std::runtime_error("'" + host + "' is not an IP address to listen on");
    const tcp::endpoint endpoint(address, port);
    acceptor.open(endpoint.protocol(), error);
    if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor.bind(endpoint, error);
    if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
    if (error)
      throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + error.message());
  }
};

namespace {

// One request, one response, then the connection closes. A client that goes
// away mid-request or mid-run costs nothing: its run stays in the queue.
void serve_connection(Api& api, tcp::socket socket, std::atomic<int>& connections) {
  beast::error_code error;
  beast::flat_buffer buffer;
  http::request_parser<http::string_body> parser;
  parser.body_limit(api.options().max_body_bytes);
  http::read(socket, buffer, parser, error);
  http::response<http::string_body> out;
  if (error == http::error::body_limit) {
    out.result(http::status::payload_too_large);
    out.set(http::field::content_type, "application/json");
    out.body() = R"({"error": "the request is too large"})";
  } else if (error) {
    --connections;
    return;  // the client went away, or sent no HTTP
  } else {
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
    const Response response = api.handle(request);
    out.result(static_cast<http::status>(response.status));
    out.set(http::field::content_type, response.content_type);
    out.set(http::field::cache_control, "no-store");
    if (!response.download.empty())
      out.set(http::field::content_disposition, "attachment; filename=\"" + response.download + "\"");
    out.body() = response.body;
  }
  out.version(11);
  out.keep_alive(false);
  out.prepare_payload();
  http::write(socket, out, error);
  socket.shutdown(tcp::socket::shutdown_send, error);
  --connections;
}

}  // namespace

Server::Server(Api& api, const std::string& host, std::uint16_t port)
    : state_(std::make_unique<State>(api, host, port)) {}

Server::~Server() {
  stop();
  while (state_->connections.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::uint16_t Server::port() const { return state_->acceptor.local_endpoint().port(); }

void Server::run() {
  while (!state_->stopping) {
    beast::error_code error;
    tcp::socket socket(state_->context);
    state_->acceptor.accept(socket, error);
    if (error || state_->stopping) continue;
    ++state_->connections;
    std::thread(serve_connection, std::ref(state_->api), std::move(socket), std::ref(state_->connections)).detach();
  }
}

void Server::stop() {
  if (state_->stopping.exchange(true)) return;
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
