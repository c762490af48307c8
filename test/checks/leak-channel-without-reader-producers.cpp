// REQUIRES: boost-fiber
// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17

// Producers that can stop -- or only seem to. Checking the send status
// helps only if something closes the channel when the reader leaves; a loop
// whose condition asks an input for more, and a send in a callback handed to
// another function, run as long as the input lasts, whatever the reader
// does. Boost.Fiber channels, the real headers.
#include <boost/fiber/all.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

std::string query(int server);
bool matches(int v);
struct Source {
  bool next(int &v); // reads the next record of a file, say
};
Source open(const char *path);
bool hasMore();
int produce();
void forEachRecord(const char *path, const std::function<void(int)> &f);

//===-- The send status, without a close ---------------------------------===//

// Seed 002 with senders that check for `closed`: nobody closes, they block.
std::string multiQueryStatus() {
  auto res = std::make_shared<unbuffered_channel<std::string>>(); // WARN: 3 senders send 3 values to channel 'res' but only 1 is received before returning and it buffers 0: 2 senders block forever NOTE: close 'res' before returning
  for (int i = 0; i < 3; ++i)
    std::thread([res, i] { // NOTE: 3 senders started here
      if (res->push(query(i)) == channel_op_status::closed)
        return;
    }).detach();
  std::string r;
  res->pop(r);
  return r; // NOTE: returns here after receiving 1 value
}

// The same with one sender per server (a run-time number).
std::string perServerStatus(const std::vector<std::string> &servers) {
  auto res = std::make_shared<unbuffered_channel<std::string>>(); // WARN: senders started once per element of 'servers' send to channel 'res' but only 1 value is received before returning and it buffers 0 NOTE: close 'res' before returning
  for (const std::string &s : servers)
    std::thread([res, s] { // NOTE: senders started here, once per element of 'servers'
      if (res->push(s) == channel_op_status::closed)
        return;
    }).detach();
  std::string r;
  res->pop(r);
  return r; // NOTE: returns here after receiving 1 value
}

// An endless producer that returns on a failed push; the reader leaves on a
// match without closing: the push never fails, it blocks.
int firstMatchStatus() {
  auto ch = std::make_shared<buffered_channel<int>>(8); // WARN: the producer sends to channel 'ch' without end but the reader can stop early without closing it NOTE: close 'ch' on that path
  std::thread([ch] {
    for (int i = 0;; ++i) // NOTE: the producer's loop has no stop condition
      if (ch->push(i) != channel_op_status::success)
        return;
  }).detach();
  for (int v : *ch)
    if (matches(v))
      return v; // NOTE: the reader can stop here and 'ch' is not closed afterwards
  return -1;
}

// Silent: the same, and the reader closes on its way out.
int firstMatchStatusClosed() {
  auto ch = std::make_shared<buffered_channel<int>>(8);
  std::thread([ch] {
    for (int i = 0;; ++i)
      if (ch->push(i) != channel_op_status::success)
        return;
  }).detach();
  for (int v : *ch)
    if (matches(v)) {
      ch->close();
      return v;
    }
  return -1;
}

// Silent: the producer also stops on a count of its own.
int firstMatchBounded() {
  auto ch = std::make_shared<buffered_channel<int>>(8);
  std::thread([ch] {
    for (int i = 0;; ++i) {
      if (i > 100)
        break;
      ch->push(i);
    }
  }).detach();
  for (int v : *ch)
    if (matches(v))
      return v;
  return -1;
}

//===-- A loop condition that asks an input --------------------------------===//

// The producer reads a file until it ends; the reader stops on a match.
int firstRecord(const char *path) {
  auto ch = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'ch' without end but the reader can stop early NOTE: close 'ch' on that path
  std::thread([ch, path] {
    Source src = open(path);
    int v;
    while (src.next(v)) // NOTE: the producer's loop has no stop condition
      ch->push(v);
  }).detach();
  int v;
  while (ch->pop(v) == channel_op_status::success)
    if (matches(v))
      return v; // NOTE: the reader can stop here
  return -1;
}

// A free function asked for more.
int firstProduced() {
  auto ch = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'ch' without end but the reader can stop early NOTE: close 'ch' on that path
  std::thread([ch] {
    while (hasMore()) // NOTE: the producer's loop has no stop condition
      ch->push(produce());
  }).detach();
  int v = ch->value_pop();
  if (matches(v))
    return v; // NOTE: the reader can stop here
  ch->close();
  return -1;
}

// Silent: the condition is a stop flag the reader sets (an atomic).
int firstProducedFlag() {
  auto ch = std::make_shared<buffered_channel<int>>(4);
  auto stop = std::make_shared<std::atomic<bool>>(false);
  std::thread([ch, stop] {
    while (!stop->load() && hasMore())
      ch->push(produce());
  }).detach();
  int v = ch->value_pop();
  stop->store(true);
  return v;
}

//===-- A producer inside a callback --------------------------------------===//

// The send sits in a callback run once per record.
int firstCallback(const char *path) {
  auto ch = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'ch' without end but the reader can stop early NOTE: close 'ch' on that path
  std::thread([ch, path] {
    forEachRecord(path, [ch](int r) { ch->push(r); }); // NOTE: the producer sends in a callback that this call runs once per input
  }).detach();
  for (int v : *ch)
    if (matches(v))
      return v; // NOTE: the reader can stop here
  return -1;
}

// Silent: the reader closes before leaving.
int firstCallbackClosed(const char *path) {
  auto ch = std::make_shared<buffered_channel<int>>(4);
  std::thread([ch, path] {
    forEachRecord(path, [ch](int r) { ch->push(r); });
  }).detach();
  int found = -1;
  for (int v : *ch)
    if (matches(v)) {
      found = v;
      break;
    }
  ch->close();
  return found;
}

//===-- Pipelines: judge each stage ---------------------------------------===//

// gen -> src -> stage -> out -> reader. The reader leaves on a match: the
// stage blocks sending to 'out' (form 2 on 'out'), stops reading 'src', and
// the endless generator blocks on 'src'.
int firstDoubled() {
  auto src = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'src' without end but its reader, a pipeline stage, blocks once its own reader stops: the producer then blocks forever NOTE: when the last reader leaves, close 'src' too
  auto out = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'out' without end but the reader can stop early NOTE: close 'out' on that path
  std::thread([src] {
    for (int i = 0;; ++i) // NOTE: the producer's loop has no stop condition
      src->push(i);
  }).detach();
  std::thread([src, out] {
    for (int v : *src) // NOTE: the producer's loop has no stop condition
      out->push(v * 2); // NOTE: the stage reading 'src' blocks here sending to 'out', whose reader stops early
  }).detach();
  for (int v : *out)
    if (matches(v))
      return v; // NOTE: the reader can stop here
  return -1;
}

// Silent: the reader closes both ends before leaving.
int firstDoubledClosed() {
  auto src = std::make_shared<buffered_channel<int>>(4);
  auto out = std::make_shared<buffered_channel<int>>(4);
  std::thread([src] {
    for (int i = 0;; ++i)
      if (src->push(i) != channel_op_status::success)
        return;
  }).detach();
  std::thread([src, out] {
    for (int v : *src)
      out->push(v * 2);
  }).detach();
  int found = -1;
  for (int v : *out)
    if (matches(v)) {
      found = v;
      break;
    }
  out->close();
  src->close();
  return found;
}

// Silent: the stage closes its input when its own send fails; the reader
// closes 'out'.
int firstDoubledStageCloses() {
  auto src = std::make_shared<buffered_channel<int>>(4);
  auto out = std::make_shared<buffered_channel<int>>(4);
  std::thread([src] {
    for (int i = 0;; ++i)
      if (src->push(i) != channel_op_status::success)
        return;
  }).detach();
  std::thread([src, out] {
    for (int v : *src)
      if (out->push(v * 2) != channel_op_status::success) {
        src->close();
        return;
      }
  }).detach();
  int v = out->value_pop();
  out->close();
  return v;
}
