//===--- LeakCheck.h - leak-tidy -----------------------------------------===//
//
// The common base of the leak checks: option helpers that validate values
// (a malformed value is a configuration error naming the option, never
// undefined behaviour) and write every option back in storeOptions, so that
// --dump-config shows them and --verify-config catches misspellings.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_LEAKCHECK_H
#define LEAK_TIDY_CHECKS_LEAKCHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "lib/core/NameMatcher.h"
#include <string>
#include <vector>

namespace clang::tidy::leak {

class LeakCheck : public ClangTidyCheck {
public:
  LeakCheck(StringRef Name, ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context) {}
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

protected:
  /// A semicolon-separated list of qualified names. \p Default is used when
  /// the option is absent; the user's value replaces it, and a leading '+'
  /// ("+my::Timer;my::Other") adds to the defaults instead.
  std::vector<std::string> nameListOption(StringRef Name, StringRef Default);
  /// A semicolon-separated list of entries the caller checks itself (e.g.
  /// "Type=kind"), with the same '+' rule as nameListOption.
  std::vector<std::string> entryListOption(StringRef Name, StringRef Default);
  /// A semicolon-separated list of plain identifiers (method names).
  std::vector<std::string> identifierListOption(StringRef Name,
                                                StringRef Default);
  /// An unsigned option within [Min, Max]; out of range or not a number is a
  /// configuration error and the default is used.
  unsigned unsignedOption(StringRef Name, unsigned Default, unsigned Min,
                          unsigned Max);
  bool boolOption(StringRef Name, bool Default);

private:
  std::vector<std::string> listOption(StringRef Name, StringRef Default,
                                      bool Qualified);
  struct Stored {
    std::string Name;
    std::string Value;
  };
  std::vector<Stored> StoredOptions;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_LEAKCHECK_H
