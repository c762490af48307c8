//===--- UnboundedGlobalCacheCheck.h - leak-tidy
//------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNBOUNDEDGLOBALCACHECHECK_H
#define LEAK_TIDY_CHECKS_UNBOUNDEDGLOBALCACHECHECK_H

#include "checks/LeakCheck.h"
#include "lib/container/ContainerModel.h"
#include "lib/container/ContainerUseIndex.h"

namespace clang::tidy::leak {

/// Finds a static-lifetime container that grows with run-time keys and is never
/// evicted.
///
/// The analysis is TU-wide: the translation unit is matched once, and the
/// containers are judged and reported in onEndOfTranslationUnit.
///
/// Documentation: docs/leak-unbounded-global-cache.md
class UnboundedGlobalCacheCheck : public LeakCheck {
public:
  UnboundedGlobalCacheCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true; // C (GLib tables) and C++
  }

private:
  void addCApiOptions();
  void report(const leaklib::UnboundedContainer &U);
  leaklib::ContainerModel Model;
  leaklib::ContainerUseOptions UseOptions;
  ASTContext *PendingTU = nullptr;
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNBOUNDEDGLOBALCACHECHECK_H
