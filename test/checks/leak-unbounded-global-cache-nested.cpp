// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17
//
// A map of containers has two levels, each with its own growth and eviction:
// the inner containers are reached through `C[K]`, `C.at(K)` and
// `C.find(K)->second` (also through a local iterator). The inner level is
// reported when it only grows with run-time keys while the outer level is
// bounded (trimmed, capped, keyed by constants or by an enum).

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

using Tenant = std::string;
enum class Kind { Read, Write };
constexpr std::size_t MaxTenants = 64;

//===----------------------------------------------------------------------===//
// Must warn: the inner level only grows
//===----------------------------------------------------------------------===//

// The outer map is trimmed (a tenant leaves), each tenant's map only grows.
std::map<Tenant, std::map<std::string, int>> Sessions; // WARN: the inner maps of global std::map 'Sessions' only grow: entries are added with run-time keys and never removed (the outer level is bounded, each inner std::map is not)
void login(const Tenant &T, const std::string &User, int Id) {
  Sessions[T][User] = Id; // NOTE: grows here: 'operator[]' adds a key from parameter 'User'
}
void tenantLeft(const Tenant &T) { Sessions.erase(T); }

// The outer map is capped, each inner one is not.
static std::unordered_map<Tenant, std::unordered_map<std::string, std::string>> Prefs; // WARN: the inner maps of global std::unordered_map 'Prefs' only grow: entries are added with run-time keys
void setPref(const Tenant &T, const std::string &K, const std::string &V) {
  if (Prefs.size() >= MaxTenants)
    return;
  Prefs[T].emplace(K, V); // NOTE: grows here: 'emplace' adds a key from parameter 'K'
}

// Constant outer keys, run-time inner keys (found through find()->second).
std::map<std::string, std::set<std::string>> Seen; // WARN: the inner sets of global std::map 'Seen' only grow
void noteHost(const std::string &Host) {
  Seen["hosts"];
  Seen.find("hosts")->second.insert(Host); // NOTE: grows here: 'insert' adds a key from parameter 'Host'
}

// Finite outer keys (an enum), inner vectors that grow on every request.
std::map<Kind, std::vector<std::string>> Log; // WARN: the inner sequences of global std::map 'Log' only grow: elements are added with run-time values
void record(Kind K, const std::string &Line) {
  Log[K].push_back(Line); // NOTE: grows here: 'push_back' adds an element from parameter 'Line'
}

// Through a local iterator; the outer level is capped and trimmed, the
// inner one never.
std::map<Tenant, std::map<int, std::string>> Jobs; // WARN: the inner maps of global std::map 'Jobs' only grow
void addJob(const Tenant &T, int Id, const std::string &Cmd) {
  auto It = Jobs.find(T);
  if (It == Jobs.end())
    return;
  It->second.emplace(Id, Cmd); // NOTE: grows here: 'emplace' adds a key from parameter 'Id'
}
void dropTenant(const Tenant &T) { Jobs.erase(T); }
void openTenant(const Tenant &T) {
  if (Jobs.size() < MaxTenants)
    Jobs[T];
}

//===----------------------------------------------------------------------===//
// Silent: both levels bounded, or the inner level out of sight
//===----------------------------------------------------------------------===//

// Both levels trimmed: a tenant leaves, a user logs out.
std::map<Tenant, std::map<std::string, int>> Active;
void enter(const Tenant &T, const std::string &User, int Id) {
  Active[T][User] = Id;
}
void leave(const Tenant &T, const std::string &User) { Active.at(T).erase(User); }
void closeTenant(const Tenant &T) { Active.erase(T); }

// The inner level trimmed through a local iterator, the outer one capped.
std::map<Tenant, std::map<int, std::string>> Tasks;
void addTask(const Tenant &T, int Id, const std::string &Cmd) {
  if (Tasks.size() >= MaxTenants)
    return;
  Tasks[T].emplace(Id, Cmd);
}
void doneTask(const Tenant &T, int Id) {
  auto It = Tasks.find(T);
  if (It != Tasks.end())
    It->second.erase(Id);
}

// Each inner map is capped where it grows.
std::map<Kind, std::map<std::string, int>> Counters;
void count(Kind K, const std::string &Name) {
  if (Counters[K].size() < 1024)
    Counters[K][Name]++;
}

// A sweep over the outer map with a mutable loop variable trims the inner
// maps (not followed: unknown, silent).
std::map<Tenant, std::map<std::string, int>> Recent;
void touch(const Tenant &T, const std::string &K) { Recent[T][K] = 1; }
void forget(const Tenant &T) { Recent.erase(T); }
void sweep() {
  for (auto &[T, Inner] : Recent)
    Inner.clear();
}

// The whole map cleared: the inner maps go with it.
std::map<Kind, std::vector<std::string>> Batch;
void add(Kind K, const std::string &S) { Batch[K].push_back(S); }
void flush() { Batch.clear(); }

// Inner maps with constant keys only: bounded.
std::map<Tenant, std::map<std::string, int>> Quotas;
void setQuota(const Tenant &T, int Q) {
  if (Quotas.size() < MaxTenants)
    Quotas[T]["requests"] = Q;
}
