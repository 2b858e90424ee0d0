#include "io/redis/redis_connections.hpp"

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

namespace parley::tier {

namespace {

void record_latency(tier_state& st, clock_type::duration elapsed) {
  auto seconds = std::chrono::duration<double>(elapsed).count();
  st.latency_sum += seconds;
  ++st.latency_count;
  for (size_t i = 0; i < std::size(latency_buckets); ++i)
    if (seconds <= latency_buckets[i])
      ++st.latency_bucket[i];
}

/// Times are the actor clock's, which tests on CAF's test coordinator move
/// by hand.
void answer(tier_pointer self, read_op& op,
            const std::vector<redis_reply>* replies) {
  if (op.answered)
    return;
  op.answered = true;
  if (replies != nullptr)
    record_latency(self->state, self->clock().now() - op.submitted);
  op.done(replies);
}

void warn_once(tier_state& st, const std::string& why) {
  if (st.warned)
    return;
  st.warned = true;
  spdlog::warn("redis: {} at {}; serving from the local cache and the models "
               "until it is back",
               why, st.where);
}

void go_down(tier_pointer self, const std::string& why) {
  auto& st = self->state;
  count(st, "redis_errors_total");
  if (!st.up)
    return;
  st.up = false;
  warn_once(st, why);
  st.backoff = first_backoff;
  self->delayed_send(self, st.backoff, probe_atom::value);
  // Lookups still queued are misses now, not at their deadline.
  std::vector<read_op> queued;
  for (auto id : st.read_queue) {
    auto entry = st.reads.find(id);
    if (entry == st.reads.end() || entry->second.dispatched)
      continue;
    queued.push_back(std::move(entry->second));
    st.reads.erase(entry);
  }
  st.read_queue.clear();
  for (auto& op : queued) {
    if (!op.answered)
      count(st, "redis_unavailable_total");
    answer(self, op, nullptr);
  }
}

void dispatch_reads(tier_pointer self) {
  auto& st = self->state;
  if (st.reader_busy || !st.up)
    return;
  redis_commands batch;
  std::vector<std::pair<uint64_t, size_t>> members;
  while (!st.read_queue.empty() && members.size() < max_batch_ops) {
    auto id = st.read_queue.front();
    st.read_queue.pop_front();
    auto op = st.reads.find(id);
    if (op == st.reads.end())
      continue;
    if (op->second.answered) {
      st.reads.erase(op);
      continue;
    }
    op->second.dispatched = true;
    members.emplace_back(id, op->second.commands.size());
    for (auto& command : op->second.commands)
      batch.argv.push_back(std::move(command));
  }
  if (members.empty())
    return;
  st.reader_busy = true;
  auto settle = [self, members](const redis_replies* result) {
    auto& st = self->state;
    st.reader_busy = false;
    st.reader_overdue = false;
    auto failed = result == nullptr || !result->error.empty();
    // Down first, so that lookups submitted while answering fail at once.
    if (failed)
      go_down(self, result == nullptr ? "the connection actor failed"
                                      : result->error);
    size_t offset = 0;
    for (auto [id, size] : members) {
      auto first = offset;
      offset += size;
      auto entry = st.reads.find(id);
      if (entry == st.reads.end())
        continue;
      // Out of the map first: answering may submit more lookups.
      auto op = std::move(entry->second);
      st.reads.erase(entry);
      if (failed || result->replies.size() < first + size) {
        answer(self, op, nullptr);
      } else {
        std::vector<redis_reply> mine(result->replies.begin() + first,
                                      result->replies.begin() + first + size);
        answer(self, op, &mine);
      }
    }
    dispatch_reads(self);
  };
  self->request(st.reader, caf::infinite, run_atom::value, std::move(batch))
      .then([settle](redis_replies& result) { settle(&result); },
            [settle](caf::error&) { settle(nullptr); });
}

void dispatch_writes(tier_pointer self) {
  auto& st = self->state;
  if (st.writer_busy || st.write_queue.empty() || !st.up)
    return;
  redis_commands batch;
  while (!st.write_queue.empty() && batch.argv.size() < max_batch_ops) {
    batch.argv.push_back(std::move(st.write_queue.front()));
    st.write_queue.pop_front();
  }
  st.writer_busy = true;
  auto sent = batch.argv.size();
  auto settle = [self, sent](const redis_replies* result) {
    auto& st = self->state;
    st.writer_busy = false;
    if (result == nullptr || !result->error.empty()) {
      count(st, "redis_writes_dropped_total", sent);
      go_down(self, result == nullptr ? "the connection actor failed"
                                      : result->error);
      return;
    }
    for (const auto& reply : result->replies)
      count(st, reply.kind == redis_reply_kind::error ? "redis_errors_total"
                                                      : "redis_writes_total");
    dispatch_writes(self);
  };
  self->request(st.writer, caf::infinite, run_atom::value, std::move(batch))
      .then([settle](redis_replies& result) { settle(&result); },
            [settle](caf::error&) { settle(nullptr); });
}

} // namespace

void submit_read(tier_pointer self,
                 std::vector<std::vector<std::string>> commands,
                 reply_handler done) {
  auto& st = self->state;
  if (!st.up || st.reader_overdue) {
    count(st, st.up ? "redis_timeouts_total" : "redis_unavailable_total");
    done(nullptr);
    return;
  }
  auto id = st.next_id++;
  st.reads.emplace(
      id, read_op{std::move(commands), std::move(done), self->clock().now()});
  st.read_queue.push_back(id);
  self->delayed_send(self, st.cfg.timeout, deadline_atom::value, id);
  dispatch_reads(self);
}

void on_deadline(tier_pointer self, uint64_t id) {
  auto& st = self->state;
  auto op = st.reads.find(id);
  if (op == st.reads.end() || op->second.answered)
    return;
  count(st, "redis_timeouts_total");
  if (op->second.dispatched) {
    // The pipeline's return erases it.
    st.reader_overdue = true;
    answer(self, op->second, nullptr);
    return;
  }
  auto queued = std::move(op->second);
  st.reads.erase(op);
  answer(self, queued, nullptr);
}

void submit_write(tier_pointer self, std::vector<std::string> command) {
  auto& st = self->state;
  if (!st.up || st.write_queue.size() >= st.cfg.max_pending_writes) {
    count(st, "redis_writes_dropped_total");
    return;
  }
  st.write_queue.push_back(std::move(command));
  dispatch_writes(self);
}

void probe(tier_pointer self) {
  auto& st = self->state;
  auto retry = [self](const std::string& why) {
    auto& st = self->state;
    count(st, "redis_errors_total");
    warn_once(st, "cannot connect (" + why + ")");
    st.backoff = std::min(st.backoff * 2, st.cfg.max_backoff);
    self->delayed_send(self, st.backoff, probe_atom::value);
  };
  auto connected = [self] {
    auto& st = self->state;
    st.up = true;
    st.reader_overdue = false;
    st.backoff = first_backoff;
    st.warned = false;
    spdlog::info("redis: connected to {}", st.where);
    dispatch_writes(self);
  };
  self->request(st.reader, caf::infinite, connect_atom::value)
      .then(
          [self, retry, connected](redis_replies& result) {
            if (!result.error.empty())
              return retry(result.error);
            self->request(self->state.writer, caf::infinite,
                          connect_atom::value)
                .then(
                    [retry, connected](redis_replies& result) {
                      if (result.error.empty())
                        connected();
                      else
                        retry(result.error);
                    },
                    [retry](caf::error& err) { retry(caf::to_string(err)); });
          },
          [retry](caf::error& err) { retry(caf::to_string(err)); });
}

} // namespace parley::tier
