// REQUIRES: boost
// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17

#include <boost/circular_buffer.hpp>
#include <boost/container/flat_map.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/container/static_vector.hpp>
#include <boost/container/vector.hpp>
#include <boost/unordered_map.hpp>
#include <boost/unordered_set.hpp>
#include <boost/swap.hpp>
#include <string>

// Must warn.
static boost::unordered_map<std::string, int> Sessions; // WARN: global boost::unordered::unordered_map 'Sessions' only grows
void login(const std::string &User) { Sessions[User] = 1; } // NOTE: 'operator[]' adds a key from parameter 'User'

boost::unordered_set<long> Seen; // WARN: global boost::unordered::unordered_set 'Seen' only grows
bool fresh(long Id) { return Seen.insert(Id).second; } // NOTE: 'insert' adds a key from parameter 'Id'

boost::container::flat_map<int, std::string> ById; // WARN: global boost::container::flat_map 'ById' only grows
void put(int Id, const std::string &V) { ById.emplace(Id, V); } // NOTE: 'emplace' adds a key from parameter 'Id'

boost::container::vector<std::string> Journal; // WARN: global boost::container::vector 'Journal' only grows
void note(const std::string &S) { Journal.emplace_back(S); } // NOTE: 'emplace_back' adds an element from parameter 'S'

boost::container::small_vector<int, 8> Small; // WARN: global boost::container::small_vector 'Small' only grows
void addSmall(int V) { Small.push_back(V); } // NOTE: from parameter 'V'

// Silent: bounded types.
boost::circular_buffer<std::string> Recent(64);
void remember(const std::string &S) { Recent.push_back(S); }

boost::container::static_vector<int, 16> Fixed;
void addFixed(int V) { Fixed.push_back(V); }

// Silent: erased somewhere.
boost::unordered_map<std::string, int> Evicted;
void putE(const std::string &K) { Evicted.try_emplace(K, 1); }
void evict(const std::string &K) { Evicted.erase(K); }

boost::container::flat_map<std::string, int> Swapped;
void putI(const std::string &K) { Swapped[K] = 1; }
void purge() {
  boost::container::flat_map<std::string, int> Empty;
  boost::swap(Swapped, Empty); // passed by reference: it may shrink
}
