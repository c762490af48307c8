//===--- UnjoinedThreadCheck.h - leak-tidy
//------------------------------------===//
#ifndef LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H
#define LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H

#include "checks/LeakCheck.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/thread/ThreadModel.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>

namespace clang::tidy::leak {

/// Finds a thread that is never joined or detached on some path, or that can
/// never finish.
///
/// Documentation: docs/leak-unjoined-thread.md
class UnjoinedThreadCheck : public LeakCheck {
public:
  UnjoinedThreadCheck(StringRef Name, ClangTidyContext *Context);
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onStartOfTranslationUnit() override;
  bool
  isLanguageVersionSupported(const LangOptions & /*LangOpts*/) const override {
    return true; // pthread, GLib and libuv threads are C APIs too
  }

private:
  leaklib::ThreadApi Api;
  leaklib::NameMatcher WaitFunctions;
  bool AnalyzeExceptionPaths;
  bool RequireJoinInDestructor;

  llvm::DenseMap<const FunctionDecl *,
                 std::unique_ptr<leaklib::FunctionCFG>>
      CFGs;
  llvm::DenseMap<const FunctionDecl *, bool> ThrowCache;
  llvm::DenseSet<const Stmt *> SpawnsDone;
  llvm::DenseSet<const Decl *> DeclsDone;

  leaklib::FunctionCFG *cfgFor(const FunctionDecl *FD, ASTContext &Ctx);

  // Form 1: a local std::thread / boost::thread (and its detached shapes).
  void checkThreadObject(const CXXConstructExpr *Ctor, const FunctionDecl *FD,
                         ASTContext &Ctx);
  // Form 3: pthread_create / uv_thread_create / g_thread_new handles.
  void checkSpawnCall(const CallExpr *Call, const FunctionDecl *FD,
                      ASTContext &Ctx);
  // Form 2: a local container of threads.
  void checkThreadContainer(const VarDecl *Container, const FunctionDecl *FD,
                            ASTContext &Ctx);
  // Form 3 for Qt: a local QThread (object or owned pointer) started here.
  void checkQThreadStart(const CXXMemberCallExpr *Start, const FunctionDecl *FD,
                         ASTContext &Ctx);
  // Form 4: thread members of a class.
  void checkRecord(const CXXRecordDecl *RD, ASTContext &Ctx);

  // Runs the lifetime engine on one handle and reports the path found.
  void analyzeHandle(const Stmt *Acquire, const VarDecl *Holder,
                     const FunctionDecl *FD, ASTContext &Ctx,
                     const CXXRecordDecl *ThreadType, StringRef SpawnName);
  // Forms 5 and 6: a detached thread whose body never ends, or one spawned
  // per turn of an unbounded loop.
  void checkDetached(const Stmt *Spawn, const Stmt *DetachSite,
                     const Expr *Callable, const FunctionDecl *FD,
                     ASTContext &Ctx);
  void emitPathNotes(const leaklib::LeakPath &Path, StringRef Name);
};

} // namespace clang::tidy::leak

#endif // LEAK_TIDY_CHECKS_UNJOINEDTHREADCHECK_H
