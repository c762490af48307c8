// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17
//
// A size comparison caps a container only where it guards the growth: the
// grow runs only on the edge where the size is below the bound (the branch
// of an `if`, after an early exit, inside a loop that stops adding).

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

constexpr std::size_t Cap = 1024;
int use(int);

//===----------------------------------------------------------------------===//
// Must warn: a size comparison that does not guard the growth
//===----------------------------------------------------------------------===//

// An index bound in another function: not a cap.
std::vector<std::string> Names; // WARN: global std::vector 'Names' only grows: elements are added with run-time values and never removed
void addName(const std::string &N) {
  Names.push_back(N); // NOTE: grows here: 'push_back' adds an element from parameter 'N'
}
int countLong() {
  int C = 0;
  for (std::size_t I = 0; I < Names.size(); ++I) // NOTE: this size comparison does not cap the growth: no growing call runs only when it finds the vector below its bound
    C += Names[I].size() > 8;
  return C;
}

// The loop over the map ends before the insert: its exit is no cap.
std::map<std::string, int> Scores; // WARN: global std::map 'Scores' only grows
int scoreAndAdd(const std::string &K, int V) {
  int Sum = 0;
  for (std::size_t I = 0; I < Scores.size(); ++I) // NOTE: this size comparison does not cap the growth
    Sum += use(static_cast<int>(I));
  Scores[K] = V; // NOTE: grows here: 'operator[]' adds a key from parameter 'K'
  return Sum;
}

// A comparison that only logs: both branches reach the insert.
std::set<int> Seen; // WARN: global std::set 'Seen' only grows
void see(int Id) {
  if (Seen.size() > Cap) // NOTE: this size comparison does not cap the growth
    use(-1);
  Seen.insert(Id); // NOTE: grows here: 'insert' adds a key from parameter 'Id'
}

// The test guards another container's growth.
std::unordered_map<std::string, int> Small, Big; // WARN: global std::unordered_map 'Big' only grows
void put2(const std::string &K) {
  if (Small.size() < Cap)
    Small[K] = 1;
  Big[K] = 1; // NOTE: grows here: 'operator[]' adds a key from parameter 'K'
}

// The wrong side: the insert runs only when the map is full.
std::map<int, int> Backwards; // WARN: global std::map 'Backwards' only grows
void putBackwards(int K) {
  if (Backwards.size() >= Cap) // NOTE: this size comparison does not cap the growth
    Backwards[K] = 0; // NOTE: grows here: 'operator[]' adds a key from parameter 'K'
}

// Guarded in one place, not in the other.
std::map<int, int> HalfGuarded; // WARN: global std::map 'HalfGuarded' only grows
void putGuarded(int K) {
  if (HalfGuarded.size() < Cap) // NOTE: this size comparison does not cap the growth
    HalfGuarded[K] = 1;
}
void putUnguarded(int K) {
  HalfGuarded.emplace(K, 2); // NOTE: grows here: 'emplace' adds a key from parameter 'K'
}

//===----------------------------------------------------------------------===//
// Silent: the comparison guards every growth
//===----------------------------------------------------------------------===//

std::map<std::string, int> InBranch;
void putInBranch(const std::string &K) {
  if (InBranch.size() < Cap)
    InBranch[K] = 1;
}

std::map<std::string, int> EarlyExit;
bool putEarlyExit(const std::string &K) {
  if (EarlyExit.size() >= Cap)
    return false;
  EarlyExit.emplace(K, 1);
  return true;
}

std::set<int> Negated;
void putNegated(int K, bool Flag) {
  if (!(Negated.size() >= Cap) && Flag)
    Negated.insert(K);
}

std::set<int> Conjunct;
void putConjunct(int K, bool Flag) {
  if (Flag && Conjunct.size() < Cap)
    Conjunct.insert(K);
}

std::vector<int> Filled;
void fill(int X) {
  while (Filled.size() < Cap)
    Filled.push_back(X);
}

std::map<int, int> BoundOnLeft;
void putLeft(int K) {
  if (Cap > BoundOnLeft.size())
    BoundOnLeft[K] = 1;
}

std::map<int, int> InLambda;
auto Putter = [](int K) {
  if (InLambda.size() < Cap)
    InLambda[K] = 1;
};

// A predicate helper: the comparison's use is not followed (taken as a cap).
std::map<int, int> ByPredicate;
bool full() { return ByPredicate.size() >= Cap; }
void putByPredicate(int K) {
  if (!full())
    ByPredicate[K] = 1;
}
