// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17
//
// Static data members of class templates: the shrinks of Registry<T>::items
// belong to the instantiated member, whether the shrinking member function
// is instantiated in this file or only written in the template.

#include <map>
#include <string>

//===----------------------------------------------------------------------===//
// Silent: shrunk
//===----------------------------------------------------------------------===//

// The shrink is instantiated (drop calls it).
template <class T> struct Registry {
  static std::map<std::string, T> items;
  static void add(const std::string &K, T V) { items[K] = V; }
  static void remove(const std::string &K) { items.erase(K); }
};
template <class T> std::map<std::string, T> Registry<T>::items;

// A member of non-dependent type.
template <class T> struct Plain {
  static std::map<std::string, int> items;
  static void add(const std::string &K) { items[K] = 1; }
  static void remove(const std::string &K) { items.erase(K); }
};
template <class T> std::map<std::string, int> Plain<T>::items;

// The shrink is only in the template: no caller in this file.
template <class T> struct Pool {
  static std::map<std::string, T> items;
  static void add(const std::string &K, T V) { items[K] = V; }
  static void reset() { items.clear(); }
};
template <class T> std::map<std::string, T> Pool<T>::items;

void put(const std::string &K) {
  Registry<int>::add(K, 1);
  Plain<int>::add(K);
  Pool<long>::add(K, 2);
}
void drop(const std::string &K) {
  Registry<int>::remove(K);
  Plain<int>::remove(K);
}

//===----------------------------------------------------------------------===//
// Must warn: no shrink anywhere
//===----------------------------------------------------------------------===//

template <class T> struct Growing {
  static std::map<std::string, T> items; // WARN: static data member std::map 'items' only grows
  static void add(const std::string &K, T V) { items[K] = V; } // NOTE: grows here: 'operator[]' adds a key from parameter 'K'
  static bool has(const std::string &K) { return items.count(K) != 0; }
};
template <class T> std::map<std::string, T> Growing<T>::items;

bool putGrowing(const std::string &K) {
  Growing<int>::add(K, 1);
  return Growing<int>::has(K);
}
