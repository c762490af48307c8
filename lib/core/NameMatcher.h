//===--- NameMatcher.h - leak-tidy ---------------------------------------===//
//
// A set of fully qualified names ("std::thread;::boost::thread") as given in
// CheckOptions, matched against declarations. Parsing reports malformed
// entries so that checks can turn them into configuration errors.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_NAMEMATCHER_H
#define LEAK_TIDY_LIB_CORE_NAMEMATCHER_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <string>
#include <vector>

namespace clang {
class NamedDecl;
namespace leaklib {

/// Splits a semicolon-separated option value into trimmed, non-empty items.
std::vector<std::string> splitList(llvm::StringRef Value);

/// Joins items back into the option syntax (for storeOptions).
std::string joinList(const std::vector<std::string> &Items);

/// Returns an error message if \p Name is not a plausible qualified C/C++
/// name ("a::b::c", optional leading "::"), or an empty string if it is.
std::string validateQualifiedName(llvm::StringRef Name);

/// A set of qualified names. A name matches a declaration when it equals the
/// declaration's fully qualified name (inline namespaces such as
/// std::__1 or std::__cxx11 are ignored, and so are template arguments).
class NameMatcher {
public:
  NameMatcher() = default;
  explicit NameMatcher(const std::vector<std::string> &Names) { add(Names); }

  void add(llvm::StringRef QualifiedName);
  void add(const std::vector<std::string> &Names);

  bool matches(const NamedDecl *D) const;
  /// Matches a qualified name spelled as a string (leading "::" optional).
  bool matchesName(llvm::StringRef QualifiedName) const;
  bool empty() const { return Qualified.empty(); }
  /// The unqualified last components: a cheap pre-filter.
  bool mayMatchIdentifier(llvm::StringRef Id) const {
    return LastComponents.count(Id) != 0;
  }
  std::vector<std::string> names() const;

private:
  llvm::StringSet<> Qualified;
  llvm::StringSet<> LastComponents;
  std::vector<std::string> Ordered;
};

/// The fully qualified name of \p D without inline namespaces and without
/// template arguments, e.g. "std::thread" for std::__1::thread.
std::string qualifiedName(const NamedDecl *D);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_NAMEMATCHER_H
