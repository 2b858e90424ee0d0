#include "io/http/http_guard.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace parley {

namespace {

using clock_type = std::chrono::steady_clock;

/// Milliseconds from now until `deadline`, at least 0.
int remaining_ms(clock_type::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - clock_type::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

bool wait_for(int fd, short events, clock_type::time_point deadline) {
  pollfd item{fd, events, 0};
  for (;;) {
    auto ready = ::poll(&item, 1, remaining_ms(deadline));
    if (ready > 0)
      return (item.revents & (events | POLLHUP | POLLERR)) != 0;
    if (ready == 0 || errno != EINTR)
      return false;
  }
}

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  auto got =
      peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length)
           : getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  if (got != 0)
    return;
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

/// A connection seen by httplib as a stream: reads and writes wait no longer
/// than the request's deadline, whatever the client does. Reads are
/// buffered, because httplib reads the head a byte at a time.
class deadline_stream : public httplib::Stream {
public:
  deadline_stream(int fd, clock_type::time_point read_deadline,
                  std::chrono::milliseconds write_timeout)
      : fd_(fd), read_deadline_(read_deadline), write_timeout_(write_timeout) {
  }

  void set_read_deadline(clock_type::time_point deadline) {
    read_deadline_ = deadline;
  }

  bool is_readable() const override {
    return buffered() > 0 || wait_for(fd_, POLLIN, read_deadline_);
  }

  bool is_writable() const override {
    return wait_for(fd_, POLLOUT, clock_type::now() + write_timeout_);
  }

  ssize_t read(char* ptr, size_t size) override {
    if (buffered() == 0) {
      begin_ = end_ = 0;
      if (!wait_for(fd_, POLLIN, read_deadline_))
        return -1;
      auto got = ::recv(fd_, buffer_, sizeof(buffer_), MSG_DONTWAIT);
      if (got <= 0)
        return got;
      end_ = static_cast<size_t>(got);
    }
    auto n = std::min(size, buffered());
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    auto deadline = clock_type::now() + write_timeout_;
    size_t sent = 0;
    while (sent < size) {
      if (!wait_for(fd_, POLLOUT, deadline))
        return -1;
      auto n =
          ::send(fd_, ptr + sent, size - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        return -1;
      if (n > 0)
        sent += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(sent);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(fd_, true, ip, port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(fd_, false, ip, port);
  }

  socket_t socket() const override {
    return fd_;
  }

  /// Bytes read from the socket and not yet taken: a pipelined request.
  size_t buffered() const {
    return end_ - begin_;
  }

private:
  int fd_;
  clock_type::time_point read_deadline_;
  std::chrono::milliseconds write_timeout_;
  char buffer_[4096];
  size_t begin_ = 0;
  size_t end_ = 0;
};

} // namespace

/// The epoll set of connections waiting for a complete request head, and
/// the workers that serve complete ones.
class guarded_http_server::gate {
public:
  gate(guarded_http_server& server, http_limits limits)
      : server_(server), limits_(limits) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event);
    waiter_ = std::thread([this] { wait_loop(); });
    for (size_t i = 0; i < std::max<size_t>(1, limits_.workers); ++i)
      workers_.emplace_back([this] { work_loop(); });
  }

  ~gate() {
    stop();
    ::close(epoll_);
    ::close(wake_);
  }

  void stop() {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (stopping_)
        return;
      stopping_ = true;
      for (auto fd : serving_)
        ::shutdown(fd, SHUT_RDWR);
    }
    uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(wake_, &one, sizeof(one));
    ready_cv_.notify_all();
    waiter_.join();
    for (auto& worker : workers_)
      worker.join();
    std::lock_guard<std::mutex> guard{mutex_};
    for (auto& [fd, entry] : waiting_)
      close_socket(fd);
    waiting_.clear();
    for (auto& entry : ready_)
      close_socket(entry.fd);
    ready_.clear();
  }

  /// A new connection from the accept loop.
  void admit(int fd) {
    if (open_.load() >= limits_.max_connections) {
      ++refused_;
      close_socket(fd);
      return;
    }
    ++open_;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    await_head(fd, 0);
  }

  size_t open() const {
    return open_.load();
  }

  size_t refused() const {
    return refused_.load();
  }

private:
  struct connection {
    int fd = -1;
    size_t served = 0;
    clock_type::time_point deadline;
  };

  /// Puts `fd` in the epoll set until its next request head is complete.
  void await_head(int fd, size_t served) {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopping_) {
      close_socket(fd);
      return;
    }
    waiting_[fd] =
        connection{fd, served, clock_type::now() + limits_.header_timeout};
    epoll_event event{};
    // Edge-triggered: peeking leaves the bytes queued, so a level trigger
    // would fire again at once for a head still incomplete.
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    event.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
    // Bytes that came before registration raise no edge; look now.
    check_head_locked(fd);
  }

  enum class head_state { incomplete, complete, broken };

  head_state peek_head(int fd) {
    std::string buffer(limits_.max_header_bytes + 1, '\0');
    auto got =
        ::recv(fd, buffer.data(), buffer.size(), MSG_PEEK | MSG_DONTWAIT);
    if (got == 0)
      return head_state::broken;
    if (got < 0)
      return errno == EAGAIN || errno == EINTR ? head_state::incomplete
                                               : head_state::broken;
    std::string_view seen{buffer.data(), static_cast<size_t>(got)};
    if (seen.find("\r\n\r\n") != std::string_view::npos
        || seen.find("\n\n") != std::string_view::npos)
      return head_state::complete;
    if (static_cast<size_t>(got) > limits_.max_header_bytes)
      return head_state::broken;
    return head_state::incomplete;
  }

  void check_head_locked(int fd) {
    auto state = peek_head(fd);
    if (state == head_state::incomplete)
      return;
    auto entry = waiting_.find(fd);
    if (entry == waiting_.end())
      return;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
    auto conn = entry->second;
    waiting_.erase(entry);
    if (state == head_state::broken) {
      ++refused_;
      drop(fd);
      return;
    }
    ready_.push_back(conn);
    ready_cv_.notify_one();
  }

  void expire_locked() {
    auto now = clock_type::now();
    for (auto i = waiting_.begin(); i != waiting_.end();) {
      if (i->second.deadline <= now) {
        epoll_ctl(epoll_, EPOLL_CTL_DEL, i->first, nullptr);
        // A kept-alive connection that fell silent is normal; a head
        // that never completed is a slow client.
        if (i->second.served == 0)
          ++refused_;
        drop(i->first);
        i = waiting_.erase(i);
      } else {
        ++i;
      }
    }
  }

  int next_timeout_locked() {
    if (waiting_.empty())
      return 1000;
    auto nearest = clock_type::time_point::max();
    for (auto& [fd, conn] : waiting_)
      nearest = std::min(nearest, conn.deadline);
    return std::min(1000, remaining_ms(nearest) + 1);
  }

  void wait_loop() {
    std::vector<epoll_event> events(256);
    for (;;) {
      int timeout = 0;
      {
        std::lock_guard<std::mutex> guard{mutex_};
        if (stopping_)
          return;
        expire_locked();
        timeout = next_timeout_locked();
      }
      auto count = epoll_wait(epoll_, events.data(),
                              static_cast<int>(events.size()), timeout);
      std::lock_guard<std::mutex> guard{mutex_};
      for (int i = 0; i < count; ++i) {
        auto fd = events[i].data.fd;
        if (fd != wake_)
          check_head_locked(fd);
      }
    }
  }

  void work_loop() {
    for (;;) {
      connection conn;
      {
        std::unique_lock<std::mutex> lock{mutex_};
        ready_cv_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
        if (stopping_)
          return;
        conn = ready_.front();
        ready_.pop_front();
      }
      serve(conn);
    }
  }

  /// Serves the requests whose bytes are here, then hands the connection
  /// back to the epoll set or closes it.
  void serve(connection conn) {
    track(conn.fd, true);
    deadline_stream stream{conn.fd, clock_type::now(), limits_.write_timeout};
    bool keep = false;
    for (;;) {
      stream.set_read_deadline(clock_type::now() + limits_.header_timeout
                               + limits_.body_timeout);
      ++conn.served;
      auto last = conn.served >= limits_.keep_alive_max_requests;
      bool closed = false;
      bool ok = false;
      try {
        ok = server_.process_request(stream, last, closed,
                                     [](httplib::Request&) {});
      } catch (const std::exception& e) {
        spdlog::warn("http: request failed: {}", e.what());
      }
      keep = ok && !closed && !last && server_.is_running();
      // A pipelined request already in the stream's buffer is served now:
      // the epoll set would never see those bytes again.
      if (!keep || stream.buffered() == 0)
        break;
    }
    track(conn.fd, false);
    if (keep)
      await_head(conn.fd, conn.served);
    else
      drop(conn.fd);
  }

  /// Connections being served are shut down on stop, so that no worker
  /// waits out a slow client's deadline.
  void track(int fd, bool serving) {
    std::lock_guard<std::mutex> guard{mutex_};
    if (serving)
      serving_.push_back(fd);
    else
      serving_.erase(std::remove(serving_.begin(), serving_.end(), fd),
                     serving_.end());
  }

  void drop(int fd) {
    close_socket(fd);
    --open_;
  }

  static void close_socket(int fd) {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }

  guarded_http_server& server_;
  http_limits limits_;
  int epoll_ = -1;
  int wake_ = -1;
  std::mutex mutex_;
  std::condition_variable ready_cv_;
  bool stopping_ = false;
  std::unordered_map<int, connection> waiting_;
  std::deque<connection> ready_;
  std::vector<int> serving_;
  std::thread waiter_;
  std::vector<std::thread> workers_;
  std::atomic<size_t> open_{0};
  std::atomic<size_t> refused_{0};
};

namespace {

/// Runs each accepted socket's task at once, on the accept thread: the task
/// only hands the socket to the gate.
class inline_queue : public httplib::TaskQueue {
public:
  void enqueue(std::function<void()> fn) override {
    fn();
  }
  void shutdown() override {
  }
};

} // namespace

guarded_http_server::guarded_http_server(http_limits limits)
    : gate_(std::make_unique<gate>(*this, limits)) {
  new_task_queue = [] { return new inline_queue; };
  set_payload_max_length(limits.max_body_bytes);
  // Without it a small answer on a kept-alive connection waits for the
  // client's delayed ACK: 40 ms a request.
  set_tcp_nodelay(true);
  set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listening_ = sock;
  });
  set_keep_alive_max_count(limits.keep_alive_max_requests);
  auto seconds = [](std::chrono::milliseconds ms) {
    return std::chrono::duration_cast<std::chrono::seconds>(ms).count();
  };
  set_read_timeout(std::max<int64_t>(1, seconds(limits.header_timeout)));
  set_write_timeout(std::max<int64_t>(1, seconds(limits.write_timeout)));
}

bool guarded_http_server::bind(const std::string& host, int port) {
  if (!bind_to_port(host.c_str(), port))
    return false;
  // listen() again on a listening socket only changes its backlog.
  return ::listen(listening_, SOMAXCONN) == 0;
}

guarded_http_server::~guarded_http_server() {
  shutdown();
}

void guarded_http_server::shutdown() {
  stop();
  gate_->stop();
}

size_t guarded_http_server::open_connections() const {
  return gate_->open();
}

size_t guarded_http_server::refused_connections() const {
  return gate_->refused();
}

bool guarded_http_server::process_and_close_socket(socket_t sock) {
  gate_->admit(sock);
  return true;
}

} // namespace parley
