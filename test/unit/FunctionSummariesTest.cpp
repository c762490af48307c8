//===--- FunctionSummariesTest.cpp - leak-tidy unit tests -----------------===//
//
// lib/program/FunctionSummaries: constant arguments, waits on every call,
// static trampolines, fresh returns, releases of a parameter, runs once,
// returned parameters.
//
//===----------------------------------------------------------------------===//
#include "lib/program/FunctionSummaries.h"
#include "ParsedCode.h"
#include "lib/core/NameMatcher.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;
using leaktest::fn;
using leaktest::parse;

namespace {

TEST(FunctionSummaries, CalledOnlyWithConstants) {
  auto AST = parse(R"cpp(
    enum Kind { A, B };
    constexpr int Limit = 4;
    static const char *const Name = "n";
    int global;
    static void reg(const char *name, int n) {}
    static void regKind(Kind k) {}
    static void mixed(int n) {}
    static void unused(int n) {}
    void visible(int n) {}
    int next();
    void callers(int runtime) {
      reg("http", 1); reg(Name, Limit); reg("x", 2 * Limit);
      regKind(A); regKind(B);
      mixed(1); mixed(runtime);
      visible(1);
      int *p = &global; (void)p;
    }
  )cpp");
  ASSERT_TRUE(AST);
  FunctionSummaries &FS = FunctionSummaries::get(AST->getASTContext());
  EXPECT_TRUE(FS.calledOnlyWithConstants(fn(*AST, "reg"), 0));
  EXPECT_TRUE(FS.calledOnlyWithConstants(fn(*AST, "reg"), 1));
  EXPECT_TRUE(FS.calledOnlyWithConstants(fn(*AST, "regKind"), 0));
  EXPECT_FALSE(FS.calledOnlyWithConstants(fn(*AST, "mixed"), 0));
  EXPECT_FALSE(FS.calledOnlyWithConstants(fn(*AST, "unused"), 0));
  // Another TU may call it with anything.
  EXPECT_FALSE(FS.calledOnlyWithConstants(fn(*AST, "visible"), 0));
}

TEST(FunctionSummaries, WaitsOnEveryCall) {
  auto AST = parse(R"cpp(
    extern "C" unsigned sleep(unsigned);
    static void nap() { sleep(1); }
    static void napViaHelper() { int x = 0; nap(); (void)x; }
    static void napSometimes(bool b) { if (b) sleep(1); }
    static void rec(); static void rec() { rec(); }
  )cpp");
  ASSERT_TRUE(AST);
  FunctionSummaries &FS = FunctionSummaries::get(AST->getASTContext());
  NameMatcher Waits({"sleep"});
  EXPECT_TRUE(FS.waitsOnEveryCall(fn(*AST, "nap"), Waits));
  EXPECT_TRUE(FS.waitsOnEveryCall(fn(*AST, "napViaHelper"), Waits));
  EXPECT_FALSE(FS.waitsOnEveryCall(fn(*AST, "napSometimes"), Waits));
  EXPECT_FALSE(FS.waitsOnEveryCall(fn(*AST, "rec"), Waits));
}

TEST(FunctionSummaries, RunsOnce) {
  auto AST = parse(R"cpp(
    bool running();
    static void leaf() {}
    static void setUp() { leaf(); }
    static void perTurn() {}
    static void twice() {}
    static void viaLambda() {}
    static void viaPointer() {}
    static void rec();
    static void rec() { rec(); }
    static void neverCalled() {}
    void exported() {}
    int main() {
      setUp();
      while (running())
        perTurn();
      twice();
      twice();
      auto L = [] { viaLambda(); };
      L();
      void (*P)() = viaPointer;
      P();
      rec();
      exported();
    }
  )cpp");
  ASSERT_TRUE(AST);
  FunctionSummaries &FS = FunctionSummaries::get(AST->getASTContext());
  EXPECT_TRUE(FS.runsOnce(fn(*AST, "main")));
  EXPECT_TRUE(FS.runsOnce(fn(*AST, "setUp")));
  EXPECT_TRUE(FS.runsOnce(fn(*AST, "leaf")));        // through setUp
  EXPECT_FALSE(FS.runsOnce(fn(*AST, "perTurn")));    // in a loop
  EXPECT_FALSE(FS.runsOnce(fn(*AST, "twice")));      // two calls
  EXPECT_FALSE(FS.runsOnce(fn(*AST, "viaLambda")));  // the lambda may rerun
  EXPECT_FALSE(FS.runsOnce(fn(*AST, "viaPointer"))); // address taken
  EXPECT_FALSE(FS.runsOnce(fn(*AST, "rec")));        // calls itself
  EXPECT_FALSE(FS.runsOnce(fn(*AST, "neverCalled")));
  EXPECT_FALSE(FS.runsOnce(fn(*AST, "exported"))); // other TUs may call it
}

TEST(FunctionSummaries, ReturnedParam) {
  auto AST = parse(R"cpp(
    namespace std {
    template <class T> T &&move(T &X) { return static_cast<T &&>(X); }
    } // namespace std
    struct S { int *P; };
    static int *same(int *A, int *B) { return B; }
    static int *moved(int *A) { return std::move(A); }
    static int *field(const S &X) { return X.P; }
    static int *either(int *A, int *B) { if (A) return A; return B; }
    static int *fresh(int *A) { return new int(*A); }
    static void none(int *A) {}
    int *declared(int *A);
  )cpp");
  ASSERT_TRUE(AST);
  FunctionSummaries &FS = FunctionSummaries::get(AST->getASTContext());
  bool Member = true;
  EXPECT_EQ(FS.returnedParam(fn(*AST, "same"), Member), 1u);
  EXPECT_FALSE(Member);
  EXPECT_EQ(FS.returnedParam(fn(*AST, "moved"), Member), 0u);
  EXPECT_EQ(FS.returnedParam(fn(*AST, "field"), Member), 0u);
  EXPECT_TRUE(Member);
  EXPECT_FALSE(FS.returnedParam(fn(*AST, "either"), Member));
  EXPECT_FALSE(FS.returnedParam(fn(*AST, "fresh"), Member));
  EXPECT_FALSE(FS.returnedParam(fn(*AST, "none"), Member));
  EXPECT_FALSE(FS.returnedParam(fn(*AST, "declared"), Member));
}

TEST(FunctionSummaries, TrampolineTarget) {
  auto AST = parse(R"cpp(
    struct Pool {
      void run();
      static void *entry(void *p) { static_cast<Pool *>(p)->run(); return nullptr; }
      static void *entry2(void *p) { Pool *self = (Pool *)p; self->run(); return nullptr; }
      static void *notOne(void *p) { return p; }
    };
    static void *cStyle(void *p) { ((Pool *)p)->run(); return 0; }
  )cpp");
  ASSERT_TRUE(AST);
  FunctionSummaries &FS = FunctionSummaries::get(AST->getASTContext());
  const CXXMethodDecl *T = FS.trampolineTarget(fn(*AST, "entry"));
  ASSERT_TRUE(T);
  EXPECT_EQ(T->getName(), "run");
  const CXXMethodDecl *T2 = FS.trampolineTarget(fn(*AST, "entry2"));
  ASSERT_TRUE(T2);
  EXPECT_EQ(T2->getCanonicalDecl(), T->getCanonicalDecl());
  EXPECT_TRUE(FS.trampolineTarget(fn(*AST, "entry2")));
  EXPECT_TRUE(FS.trampolineTarget(fn(*AST, "cStyle")));
  EXPECT_FALSE(FS.trampolineTarget(fn(*AST, "notOne")));
}

TEST(FunctionSummaries, ReturnsFreshAndReleasesParam) {
  auto AST = parse(R"cpp(
    struct Timer {};
    Timer *keep;
    void destroy(Timer *);
    static Timer *make() { return new Timer; }
    static Timer *makeVia() { Timer *t = new Timer; return t; }
    static Timer *sometimes(bool b) { if (b) return new Timer; return keep; }
    static void release(Timer *t) { destroy(t); }
    static void releaseIf(Timer *t, bool b) { if (b) destroy(t); }
  )cpp");
  ASSERT_TRUE(AST);
  FunctionSummaries &FS = FunctionSummaries::get(AST->getASTContext());
  auto IsNew = [](const Expr *E) { return isa<CXXNewExpr>(E); };
  EXPECT_TRUE(FS.returnsFresh(fn(*AST, "make"), IsNew));
  EXPECT_TRUE(FS.returnsFresh(fn(*AST, "makeVia"), IsNew));
  EXPECT_FALSE(FS.returnsFresh(fn(*AST, "sometimes"), IsNew));
  auto Destroys = [](const Stmt *S, const ParmVarDecl *P) {
    const auto *CE = dyn_cast<CallExpr>(S);
    if (!CE || !CE->getDirectCallee() ||
        CE->getDirectCallee()->getName() != "destroy")
      return false;
    const auto *DRE = dyn_cast<DeclRefExpr>(CE->getArg(0)->IgnoreImpCasts());
    return DRE && DRE->getDecl() == P;
  };
  EXPECT_TRUE(FS.releasesParam(fn(*AST, "release"), 0, Destroys));
  EXPECT_FALSE(FS.releasesParam(fn(*AST, "releaseIf"), 0, Destroys));
  EXPECT_FALSE(FS.releasesParam(fn(*AST, "release"), 3, Destroys));
}

} // namespace
