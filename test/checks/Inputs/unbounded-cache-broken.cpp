// Robustness: broken code must not crash the check (it reports nothing on
// a translation unit with errors).
#include <map>
#include <string>
#include <vector>
std::map<std::string, int> Broken;
void broken(const std::string &K) {
  Broken[K] =
  Broken.insert(undeclared);
  for (auto &X : Broken
}
template <typename T> struct Memo {
  void put(const T &K) { Values[K] = ; }
  std::map<T, int> Values;
};
Memo<UnknownType> M;
std::vector<int> V;
void grow(int X) { V.push_back(X); V.erase(
