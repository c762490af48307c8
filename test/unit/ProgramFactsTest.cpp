//===--- ProgramFactsTest.cpp - leak-tidy unit tests ----------------------===//
//
// lib/program/ProgramFacts: exception fates over the TU's call graph (caught
// by a caller's try, by a test framework, std::terminate, unknown), functions
// that never return, a main() that plainly ends soon, and which variables
// live as long as the process.
//
//===----------------------------------------------------------------------===//
#include "lib/program/ProgramFacts.h"
#include "ParsedCode.h"
#include "clang/AST/ASTContext.h"
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

const VarDecl *var(ASTUnit &AST, llvm::StringRef Name) {
  auto R = match(varDecl(hasName(Name)).bind("v"), AST.getASTContext());
  return R.empty() ? nullptr : R.front().getNodeAs<VarDecl>("v");
}

TEST(ProgramFacts, ExceptionFates) {
  auto AST = parse(R"cpp(
    void mayThrow();
    static void leaf() { mayThrow(); }
    static void caughtByCaller() { mayThrow(); }
    static void middle() { caughtByCaller(); }
    static void outer() { try { middle(); } catch (...) {} }
    static void uncaught() { mayThrow(); }
    static void viaUncaught() { uncaught(); }
    void visible() { mayThrow(); }
    static void calledFromLambda() { mayThrow(); }
    static void lambdaMadeInTry() {
      void (*g)() = nullptr;
      try { g = [] { calledFromLambda(); }; } catch (...) {}
      g();
    }
    static void calledFromLambdaCalledInTry() { mayThrow(); }
    static void lambdaCalledInTry() {
      auto f = [] { calledFromLambdaCalledInTry(); };
      try { f(); } catch (...) {}
    }
    static void noCatch() noexcept { leaf(); }
    static void taken() { mayThrow(); }
    void (*ptr)() = &taken;
    namespace testing { struct Test { virtual void TestBody() = 0; }; }
    struct MyTest : testing::Test { void TestBody() override { mayThrow(); } };
    int main() {
      outer(); viaUncaught(); noCatch(); lambdaMadeInTry(); lambdaCalledInTry();
    }
  )cpp");
  ASSERT_TRUE(AST);
  ProgramFacts &PF = ProgramFacts::get(AST->getASTContext());
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "caughtByCaller")),
            ExceptionFate::Caught);
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "middle")), ExceptionFate::Caught);
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "uncaught")), ExceptionFate::Terminates);
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "viaUncaught")),
            ExceptionFate::Terminates);
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "main")), ExceptionFate::Terminates);
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "noCatch")), ExceptionFate::Terminates);
  // leaf() is only called from a noexcept function.
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "leaf")), ExceptionFate::Terminates);
  // Other TUs may call it; its address escapes.
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "visible")), ExceptionFate::Unknown);
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "taken")), ExceptionFate::Unknown);
  // The lambda is made inside a try but called outside it, through a
  // pointer: its callers are not visible, and no try covers the call.
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "calledFromLambda")),
            ExceptionFate::Unknown);
  // The lambda is called inside the try: what it throws is caught.
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "calledFromLambdaCalledInTry")),
            ExceptionFate::Caught);
  EXPECT_EQ(PF.exceptionFate(fn(*AST, "TestBody")), ExceptionFate::Caught);
  // The same object for the same context.
  EXPECT_EQ(&ProgramFacts::get(AST->getASTContext()), &PF);
}

TEST(ProgramFacts, NeverReturns) {
  auto AST = parse(R"cpp(
    [[noreturn]] void die();
    void serve() { for (;;) { } }
    void serveWithExit(bool b) { while (true) { if (b) break; } }
    void runs() { int x = 0; serve(); }
    void runsIfAsked(bool b) { if (b) serve(); }
    int viaReturn() { return (die(), 0); }
    void dies() { die(); }
    struct _GMainLoop; typedef struct _GMainLoop GMainLoop;
    extern "C" void g_main_loop_run(GMainLoop *);
    void gloop(GMainLoop *l) { g_main_loop_run(l); }
    void rec(); void rec() { rec(); }
  )cpp");
  ASSERT_TRUE(AST);
  ProgramFacts &PF = ProgramFacts::get(AST->getASTContext());
  EXPECT_TRUE(PF.neverReturns(fn(*AST, "serve")));
  EXPECT_FALSE(PF.neverReturns(fn(*AST, "serveWithExit")));
  EXPECT_TRUE(PF.neverReturns(fn(*AST, "runs")));
  EXPECT_FALSE(PF.neverReturns(fn(*AST, "runsIfAsked")));
  EXPECT_TRUE(PF.neverReturns(fn(*AST, "dies")));
  // Nothing in this TU quits the GLib loop.
  EXPECT_TRUE(PF.neverReturns(fn(*AST, "gloop")));
  EXPECT_FALSE(PF.neverReturns(fn(*AST, "rec")));

  auto Quit = parse(R"cpp(
    struct _GMainLoop; typedef struct _GMainLoop GMainLoop;
    extern "C" void g_main_loop_run(GMainLoop *);
    extern "C" void g_main_loop_quit(GMainLoop *);
    void gloop(GMainLoop *l) { g_main_loop_run(l); }
    void stop(GMainLoop *l) { g_main_loop_quit(l); }
  )cpp");
  ASSERT_TRUE(Quit);
  EXPECT_FALSE(ProgramFacts::get(Quit->getASTContext())
                   .neverReturns(fn(*Quit, "gloop")));
}

TEST(ProgramFacts, MainEndsSoonAndProcessLifetime) {
  auto Bench = parse(R"cpp(
    int work(int);
    static int step(int i) { int s = 0; for (int k = 0; k < 10; ++k) s += k; return s + i; }
    int main() {
      int total = 0;
      for (int i = 0; i < 1000; ++i) { int t = step(i); total += t; }
      return total > 0;
    }
  )cpp");
  ASSERT_TRUE(Bench);
  ProgramFacts &B = ProgramFacts::get(Bench->getASTContext());
  EXPECT_TRUE(B.endsSoon(fn(*Bench, "main")));
  EXPECT_FALSE(B.livesForProcess(var(*Bench, "total")));

  auto Server = parse(R"cpp(
    bool next(int &);
    static int cache;
    int main() {
      int seen = 0;
      int req;
      while (next(req)) { int perTurn = req; seen += perTurn; }
      return seen;
    }
    void worker() {
      int local = 0;
      for (;;) { ++local; }
    }
    void helper(int param) { int tmp = param; (void)tmp; }
  )cpp");
  ASSERT_TRUE(Server);
  ProgramFacts &S = ProgramFacts::get(Server->getASTContext());
  EXPECT_FALSE(S.endsSoon(fn(*Server, "main")));
  EXPECT_FALSE(S.endsSoon(fn(*Server, "worker"))); // not main
  EXPECT_TRUE(S.livesForProcess(var(*Server, "seen")));
  EXPECT_FALSE(S.livesForProcess(var(*Server, "perTurn")));
  EXPECT_TRUE(S.livesForProcess(var(*Server, "cache")));
  EXPECT_TRUE(S.livesForProcess(var(*Server, "local")));
  EXPECT_FALSE(S.livesForProcess(var(*Server, "tmp")));
  EXPECT_FALSE(S.livesForProcess(var(*Server, "param")));
}

TEST(ProgramFacts, WhyLivesForProcess) {
  auto AST = parse(R"cpp(
    bool next(int &);
    int global;
    [[noreturn]] void serve() { int conn = 0; for (;;) ++conn; }
    void helper() { int tmp = 0; (void)tmp; }
    int main() {
      int seen = 0, req;
      while (next(req)) seen += req;
      return seen;
    }
  )cpp");
  ASSERT_TRUE(AST);
  ProgramFacts &PF = ProgramFacts::get(AST->getASTContext());
  EXPECT_EQ(PF.mainFunction(), fn(*AST, "main"));
  EXPECT_EQ(PF.whyLivesForProcess(var(*AST, "global")), "static storage");
  EXPECT_EQ(PF.whyLivesForProcess(var(*AST, "seen")),
            "local of main(), which runs until the process ends");
  EXPECT_EQ(PF.whyLivesForProcess(var(*AST, "conn")),
            "local of 'serve', which never returns");
  EXPECT_EQ(PF.whyLivesForProcess(var(*AST, "tmp")), "");
  EXPECT_EQ(PF.whyLivesForProcess(nullptr), "");

  auto NoMain = parse("void f() {}");
  ASSERT_TRUE(NoMain);
  EXPECT_EQ(ProgramFacts::get(NoMain->getASTContext()).mainFunction(), nullptr);
}

TEST(ProgramFacts, EndsSoonFollowsCallbacksNotLibraryLoops) {
  // A worker handed to a thread (not called) that loops forever: main does
  // not end soon. Without it, only fixed loops and library calls remain.
  auto Worker = parse(R"cpp(
    namespace std { struct thread { template <class F> thread(F) {} }; }
    static void worker() { for (;;) {} }
    int main() { std::thread t(worker); for (int i = 0; i < 3; ++i) {} }
  )cpp");
  ASSERT_TRUE(Worker);
  EXPECT_FALSE(
      ProgramFacts::get(Worker->getASTContext()).endsSoon(fn(*Worker, "main")));
  auto Bench = parse(R"cpp(
    static void step() {}
    int main() { void (*f)() = step; for (int i = 0; i < 3; ++i) f(); }
  )cpp");
  ASSERT_TRUE(Bench);
  EXPECT_TRUE(
      ProgramFacts::get(Bench->getASTContext()).endsSoon(fn(*Bench, "main")));
}

TEST(ProgramFacts, HeapObjectCreated) {
  auto AST = parse(R"cpp(
    namespace std {
    template <class T> struct shared_ptr { shared_ptr(T *); };
    template <class T> struct unique_ptr { unique_ptr(T *); };
    template <class T> shared_ptr<T> make_shared() { return new T; }
    template <class T> unique_ptr<T> make_unique() { return new T; }
    }
    struct A {}; struct B {}; struct C {}; struct D {};
    A *a = new A;
    std::shared_ptr<B> b = std::make_shared<B>();
    std::unique_ptr<C> c = std::make_unique<C>();
    std::shared_ptr<D> d(new D);
    A *arr = new A[3];
    A local;
    A *notNew = &local;
  )cpp");
  ASSERT_TRUE(AST);
  auto Created = [&](const char *Name) -> std::string {
    const VarDecl *V = var(*AST, Name);
    const Expr *Node = nullptr;
    const CXXRecordDecl *RD =
        V ? ProgramFacts::heapObjectCreated(V->getInit(), &Node) : nullptr;
    return RD && Node ? RD->getNameAsString() : "";
  };
  EXPECT_EQ(Created("a"), "A");
  EXPECT_EQ(Created("b"), "B");
  EXPECT_EQ(Created("c"), "C");
  EXPECT_EQ(Created("d"), "D");
  EXPECT_EQ(Created("arr"), "");
  EXPECT_EQ(Created("notNew"), "");
  EXPECT_TRUE(
      ProgramFacts::isSmartPointerFactoryCall(var(*AST, "b")->getInit()));
  EXPECT_FALSE(
      ProgramFacts::isSmartPointerFactoryCall(var(*AST, "d")->getInit()));
}

} // namespace
