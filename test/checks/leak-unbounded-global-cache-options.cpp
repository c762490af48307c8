// RUN: %check_leak --prefixes=,DEF %s leak-unbounded-global-cache -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-unbounded-global-cache.ContainerTypes: 'my::Table;::my::Journal', leak-unbounded-global-cache.GrowMethods: 'put;record', leak-unbounded-global-cache.ShrinkMethods: 'purge', leak-unbounded-global-cache.BoundedCacheTypes: '+my::TtlCache', leak-unbounded-global-cache.OnceFunctions: '+my::runOnce'}}" --prefixes=,OPT %s leak-unbounded-global-cache -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-unbounded-global-cache.BoundedCacheTypes: 'my::TtlCache'}}" --prefixes=,NODEF %s leak-unbounded-global-cache -- -std=c++17

#include <functional>
#include <list>
#include <map>
#include <string>
#include <unordered_map>

namespace my {
// A user container: a container only when ContainerTypes names it.
template <class K, class V> class Table {
public:
  using key_type = K;
  using mapped_type = V;
  void insert(const K &, const V &);
  void put(const K &, const V &);
  void purge(const K &);
  V *find(const K &);
};
class Journal {
public:
  void record(const std::string &);
  void truncate();
};
void runOnce(std::function<void()> F);
} // namespace my

my::Table<std::string, int> Users; // OPT-WARN: global my::Table 'Users' only grows
void addUser(const std::string &Name) { Users.insert(Name, 1); } // OPT-NOTE: 'insert' adds a key from parameter 'Name'

// GrowMethods: `put` grows.
my::Table<std::string, int> Puts; // OPT-WARN: global my::Table 'Puts' only grows
void putUser(const std::string &Name) { Puts.put(Name, 1); } // OPT-NOTE: 'put' adds a key from parameter 'Name'

// ShrinkMethods: `purge` shrinks.
my::Table<std::string, int> Purged;
void addPurged(const std::string &Name) { Purged.insert(Name, 1); }
void dropPurged(const std::string &Name) { Purged.purge(Name); }

// A user type without a key_type: its grows add elements.
my::Journal Audit; // OPT-WARN: global my::Journal 'Audit' only grows: elements are added with run-time values
void audit(const std::string &Line) { Audit.record(Line); } // OPT-NOTE: 'record' adds an element from parameter 'Line'

// BoundedCacheTypes: a TTL cache whose sweep is defined elsewhere; only the
// option tells the check that it bounds itself.
namespace my {
class TtlCache {
public:
  void put(const std::string &K, int V) { Map[K] = V; } // DEF-NOTE: 'operator[]' adds a key from parameter 'K'
  void sweep(long Now);

private:
  std::unordered_map<std::string, int> Map; // DEF-WARN: member std::unordered_map 'my::TtlCache::Map' only grows
};
} // namespace my
my::TtlCache Sessions;
void login(const std::string &User) { Sessions.put(User, 1); }

// OnceFunctions: my::runOnce runs its callable once.
std::map<std::string, int> Config; // DEF-WARN: global std::map 'Config' only grows NODEF-WARN: 'Config' only grows
void loadConfig(const std::string &Key) {
  my::runOnce([&] { Config[Key] = 1; }); // DEF-NOTE: 'operator[]' adds a key from parameter 'Key' NODEF-NOTE: from parameter 'Key'
}

// A bounded type by default (folly is not installed: a minimal user type
// with the real name). Replacing BoundedCacheTypes drops the defaults.
namespace folly {
template <class K, class V> class EvictingCacheMap {
public:
  void set(const K &Key, const V &Value) { Index[Key] = Value; } // NODEF-NOTE: 'operator[]' adds a key from parameter 'Key'

private:
  std::map<K, V> Index; // NODEF-WARN: member std::map 'folly::EvictingCacheMap::Index' only grows
};
} // namespace folly
folly::EvictingCacheMap<std::string, int> Lru;
void remember(const std::string &K) { Lru.set(K, 1); }

// std::list is never bounded.
std::list<std::string> Recent; // WARN: global std::list 'Recent' only grows
void seen(const std::string &S) { Recent.push_back(S); } // NOTE: from parameter 'S'
