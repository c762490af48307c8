//===--- TimerInLoopCheck.h - leak-tidy
//------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H
#define LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H

#include "checks/LeakCheck.h"
#include "lib/core/FunctionCFG.h"
#include "lib/timer/TimerFacts.h"
#include "lib/timer/TimerModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <optional>

namespace clang::tidy::leak {

/// Finds a timer created on every loop iteration that outlives the iteration.
///
/// Documentation: docs/leak-timer-in-loop.md
class TimerInLoopCheck : public LeakCheck {
public:
  TimerInLoopCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true; // the C APIs (POSIX, libuv, GLib, libevent) too
  }

private:
  void scanBody(const Decl *D, const Stmt *Body, ASTContext &Ctx);
  leaklib::FunctionCFG *cfgFor(const Decl *D, const Stmt *Body,
                                   ASTContext &Ctx);
  const std::optional<leaklib::PileUp> &helperPileUp(const FunctionDecl *FD,
                                                         ASTContext &Ctx);
  void report(const leaklib::PileUp &P, const Stmt *Loop,
              const CallExpr *HelperCall, const FunctionDecl *Helper);
  static bool oncePerElement(const leaklib::PileUp &P, const Stmt *Loop,
                             ASTContext &Ctx);

  const SourceManager *SMgr = nullptr;
  unsigned MaxConstantTripCount;
  unsigned MinDelayMs;
  bool IgnoreParentedQTimer;
  leaklib::TimerModel Model;
  llvm::DenseMap<const Decl *, std::unique_ptr<leaklib::FunctionCFG>> CFGs;
  llvm::DenseSet<const Decl *> CFGFailed;
  llvm::DenseMap<const FunctionDecl *, std::optional<leaklib::PileUp>>
      Helpers;
  llvm::DenseSet<unsigned> Reported; // raw source locations of warnings
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_TIMERINLOOPCHECK_H
