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
#include "llvm/ADT/STLFunctionalExtras.h"
#include <string>
#include <vector>

namespace clang::tidy::leak {

class LeakCheck : public ClangTidyCheck {
public:
  /// Also warns about unknown `leak-*` option names in the configuration
  /// (once per run: only the first enabled leak check does).
  LeakCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

protected:
  /// Why one entry of a list option is invalid, or "" when it is valid.
  using EntryCheck = llvm::function_ref<std::string(StringRef Entry)>;
  /// A semicolon-separated list of qualified names. \p Default is used when
  /// the option is absent; the user's value replaces it, and a leading '+'
  /// ("+my::Timer;my::Other") adds to the defaults instead.
  std::vector<std::string> nameListOption(StringRef Name, StringRef Default);
  /// A semicolon-separated list of plain identifiers (method names).
  std::vector<std::string> identifierListOption(StringRef Name,
                                                StringRef Default);
  /// A list option whose entries \p Check validates. An invalid entry is
  /// ignored with a configuration warning; a value with no valid entry at all
  /// (";;;", every entry invalid) keeps the defaults, with a warning naming
  /// the option: a typo never switches a check off. A blank value is an
  /// empty list (NonThrowingFunctions: '' says nothing is non-throwing).
  std::vector<std::string> listOption(StringRef Name, StringRef Default,
                                      EntryCheck Check);
  /// An unsigned option within [Min, Max]; out of range or not a number is a
  /// configuration error and the default is used.
  unsigned unsignedOption(StringRef Name, unsigned Default, unsigned Min,
                          unsigned Max);
  bool boolOption(StringRef Name, bool Default);
  /// From now on, an option absent under the check's own name is also read
  /// from the family-wide key \p Prefix + Name (e.g. `leak.TimerTypes`),
  /// through clang-tidy's getLocalOrGlobal: one setting for a whole family.
  void readFamilyWideOptions(StringRef Prefix) { FamilyPrefix = Prefix.str(); }

private:
  /// When project facts are exported, makes sure the TU's ProjectFacts
  /// exists (its export is written when the ASTContext is freed), then runs
  /// check() as ClangTidyCheck::run does.
  void run(const ast_matchers::MatchFinder::MatchResult &Result) override;
  /// Reads `leak.ProjectFacts` / `leak.ExportFacts` (environment
  /// LEAK_TIDY_PROJECT_FACTS / LEAK_TIDY_EXPORT_FACTS when absent); the first
  /// enabled leak check reports errors and configures ProjectFacts.
  void readProjectFactsOptions(bool First);
  static bool isFirstEnabledLeakCheck(ClangTidyContext &Context, StringRef ID);
  /// Stops with an internal error when \p Name is not in the table of known
  /// options (LeakCheck.cpp), so that the table cannot fall behind.
  void registerOption(StringRef Name);
  void reportUnknownOptions(ClangTidyContext &Context);
  /// The raw value of option \p Name: the check's own key, else the
  /// family-wide key (readFamilyWideOptions).
  std::optional<StringRef> rawOption(StringRef Name) const;
  std::string FamilyPrefix;
  struct Stored {
    std::string Name;
    std::string Value;
  };
  std::vector<Stored> StoredOptions;
  /// Family-wide options set in the configuration (key, value).
  std::vector<Stored> StoredGlobalOptions;
  bool ExportFacts = false;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_LEAKCHECK_H
