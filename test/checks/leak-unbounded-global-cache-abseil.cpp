// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17

// Abseil, TBB and folly are not installed: these are minimal user types
// named like the real ones. The check recognises them by their qualified
// names only (the defaults list them), so the shapes below are enough.
#include <string>
#include <utility>

namespace absl {
template <class K, class V> class flat_hash_map {
public:
  using key_type = K;
  using mapped_type = V;
  V &operator[](const K &);
  std::pair<int, bool> try_emplace(const K &, const V &);
  void erase(const K &);
  unsigned size() const;
};
template <class K> class flat_hash_set {
public:
  using key_type = K;
  std::pair<int, bool> insert(const K &);
  void clear();
};
} // namespace absl

namespace tbb {
namespace detail {
namespace d2 {
template <class K, class V> class concurrent_hash_map {
public:
  using key_type = K;
  using mapped_type = V;
  bool insert(const std::pair<K, V> &);
  bool erase(const K &);
};
} // namespace d2
} // namespace detail
using detail::d2::concurrent_hash_map;
template <class T> class concurrent_vector {
public:
  void push_back(const T &);
  void grow_by(unsigned);
};
} // namespace tbb

namespace folly {
template <class K, class V> class F14FastMap {
public:
  using key_type = K;
  using mapped_type = V;
  std::pair<int, bool> emplace(const K &, const V &);
  void eraseInto(const K &, int);
};
template <class K, class V> class EvictingCacheMap {
public:
  explicit EvictingCacheMap(unsigned MaxSize);
  void set(const K &, const V &);
  void insert(const K &, const V &);
};
} // namespace folly

// Must warn.
absl::flat_hash_map<std::string, int> Hits; // WARN: global absl::flat_hash_map 'Hits' only grows
void hit(const std::string &Url) { Hits[Url]++; } // NOTE: 'operator[]' adds a key from parameter 'Url'

absl::flat_hash_set<long> Users; // WARN: global absl::flat_hash_set 'Users' only grows
void user(long Id) { Users.insert(Id); } // NOTE: 'insert' adds a key from parameter 'Id'

tbb::concurrent_hash_map<int, std::string> Jobs; // WARN: global tbb::detail::d2::concurrent_hash_map 'Jobs' only grows
void job(int Id, const std::string &S) { Jobs.insert({Id, S}); } // NOTE: 'insert' adds a key from parameter 'Id'

tbb::concurrent_vector<std::string> Trace; // WARN: global tbb::concurrent_vector 'Trace' only grows
void trace(const std::string &S) { Trace.push_back(S); } // NOTE: 'push_back' adds an element from parameter 'S'

folly::F14FastMap<std::string, int> Routes; // WARN: global folly::F14FastMap 'Routes' only grows
void route(const std::string &Path) { Routes.emplace(Path, 1); } // NOTE: 'emplace' adds a key from parameter 'Path'

// Silent.
absl::flat_hash_map<std::string, int> Erased;
void putE(const std::string &K) { Erased.try_emplace(K, 1); }
void dropE(const std::string &K) { Erased.erase(K); }

absl::flat_hash_set<long> ClearedSet;
void putC(long Id) { ClearedSet.insert(Id); }
void reset() { ClearedSet.clear(); }

tbb::concurrent_hash_map<int, int> Done;
void start(int Id) { Done.insert({Id, 0}); }
void finish(int Id) { Done.erase(Id); }

folly::F14FastMap<std::string, int> Drained;
void putD(const std::string &K) { Drained.emplace(K, 1); }
void drainD(const std::string &K) { Drained.eraseInto(K, 0); }

folly::EvictingCacheMap<std::string, int> Lru(1000);
void putL(const std::string &K) { Lru.set(K, 1); Lru.insert(K, 2); }

absl::flat_hash_map<std::string, int> CappedAbsl;
void putCap(const std::string &K) {
  if (CappedAbsl.size() < 4096)
    CappedAbsl[K] = 1;
}
