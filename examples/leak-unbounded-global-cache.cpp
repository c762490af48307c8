// leak-tidy-flags: -std=c++17
//
// A tiny HTTP-ish front end with the classic global-cache leaks:
// one client per host ever seen, one counter per URL ever requested, and a
// set of request ids that is never pruned. The session table next to them is
// the fixed version: it is evicted when sessions expire.
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

struct Client {
  explicit Client(std::string Host) : Host(std::move(Host)) {}
  std::string Host;
};

// Leak 1: the Go `var cache = make(map[string]*http.Client)`.
static std::unordered_map<std::string, std::unique_ptr<Client>> Clients;

Client &clientFor(const std::string &Host) {
  auto &Slot = Clients[Host];
  if (!Slot)
    Slot = std::make_unique<Client>(Host);
  return *Slot;
}

// Leak 2: per-URL statistics in a singleton.
class Stats {
public:
  static Stats &get() {
    static Stats S;
    return S;
  }
  void hit(const std::string &Url) { ++Hits[Url]; }

private:
  Stats() = default;
  std::map<std::string, long> Hits;
};

// Leak 3: de-duplication that remembers every id forever.
bool firstDelivery(long RequestId) {
  static std::set<long> Seen;
  return Seen.insert(RequestId).second;
}

// Fixed: sessions expire.
using Clock = std::chrono::steady_clock;
static std::unordered_map<std::string, Clock::time_point> Sessions;

void touchSession(const std::string &Token) { Sessions[Token] = Clock::now(); }

void expireSessions() {
  auto Now = Clock::now();
  for (auto It = Sessions.begin(); It != Sessions.end();) {
    if (Now - It->second > std::chrono::minutes(30))
      It = Sessions.erase(It);
    else
      ++It;
  }
}

int main() {
  std::string Host, Url, Token;
  long Id = 0;
  while (std::cin >> Host >> Url >> Token >> Id) {
    if (!firstDelivery(Id))
      continue;
    clientFor(Host);
    Stats::get().hit(Url);
    touchSession(Token);
    expireSessions();
  }
  return 0;
}
