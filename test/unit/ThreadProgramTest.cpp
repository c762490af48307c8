//===--- ThreadProgramTest.cpp - leak-tidy unit tests ---------------------===//
//
// The thread family on the program model: a static trampoline's target is
// the body a thread runs, a loop sleeping through a helper is periodic, a
// helper that joins or detaches its parameter releases the handle, a
// function returning a thread it started hands it to its caller, and a call
// that never returns ends the path.
//
//===----------------------------------------------------------------------===//
#include "ParsedCode.h"
#include "ThreadCode.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/core/NameMatcher.h"
#include "lib/thread/ThreadBody.h"
#include "lib/thread/ThreadFacts.h"
#include "lib/thread/ThreadModel.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;
using leaktest::fn;

namespace {

// Stand-ins with the shape of pthreads and std::move (the unit tests parse
// without a standard library; std::thread is ThreadCode.h's).
const char *Prelude = R"cpp(
namespace std {
template <class T> T &&move(T &t) noexcept { return static_cast<T &&>(t); }
}
typedef unsigned long pthread_t;
extern "C" int pthread_create(pthread_t *, const void *, void *(*)(void *),
                              void *);
extern "C" int pthread_join(pthread_t, void **);
extern "C" int pthread_detach(pthread_t);
extern "C" unsigned sleep(unsigned);
void work() noexcept;
)cpp";

std::unique_ptr<ASTUnit> parse(const std::string &Code) {
  return leaktest::parse(std::string(leaktest::ThreadStandIn) + Prelude + Code);
}

ThreadApi api() { return ThreadApi(ThreadOptions::defaults()); }

TEST(ThreadProgramTest, TrampolineRunsTheMember) {
  auto AST = parse(R"cpp(
    struct Pool {
      void run() { for (;;) work(); }
      static void *entry(void *p) { static_cast<Pool *>(p)->run(); return nullptr; }
      static void *own(void *p) {
        static_cast<Pool *>(p)->run();
        for (;;) work();
      }
    };
    void *(*a)(void *) = &Pool::entry;
    void *(*b)(void *) = &Pool::own;
  )cpp");
  ASSERT_TRUE(AST);
  auto Init = [&](const char *Var) {
    auto M = match(varDecl(hasName(Var), hasGlobalStorage()).bind("v"),
                   AST->getASTContext());
    return M.front().getNodeAs<VarDecl>("v")->getInit();
  };
  // The trampoline's body is Pool::run's.
  EXPECT_EQ(callableBody(Init("a")), fn(*AST, "run")->getBody());
  // A trampoline with a loop of its own is its own body.
  EXPECT_EQ(callableBody(Init("b")), fn(*AST, "own")->getBody());
}

TEST(ThreadProgramTest, SleepingThroughAHelperIsPeriodic) {
  auto AST = parse(R"cpp(
    static void tick() { sleep(1); }
    static void maybe(bool b) { if (b) sleep(1); }
    void periodic() { for (;;) { tick(); work(); } }
    void busy(bool b) { for (;;) { maybe(b); work(); } }
  )cpp");
  ASSERT_TRUE(AST);
  NameMatcher Waits({"sleep"});
  ASTContext &Ctx = AST->getASTContext();
  EXPECT_FALSE(findEndlessLoop(fn(*AST, "periodic")->getBody(), Ctx, Waits));
  EXPECT_TRUE(findEndlessLoop(fn(*AST, "busy")->getBody(), Ctx, Waits));
}

TEST(ThreadProgramTest, HelpersThatReleaseTheirParameter) {
  auto AST = parse(R"cpp(
    void stop_and_join(std::thread &t) { if (t.joinable()) t.join(); }
    void release(std::thread &t) { t.detach(); }
    void via(std::thread &t) { int unrelated = 0; (void)unrelated; stop_and_join(t); }
    void reap(pthread_t t) { pthread_join(t, nullptr); }
    void sometimes(std::thread &t, bool b) { if (b) t.join(); }
    void keep(std::thread &t);
    void joinable_else(std::thread &t) { if (t.joinable()) t.join(); else work(); }
  )cpp");
  ASSERT_TRUE(AST);
  ThreadApi Api = api();
  EXPECT_EQ(HandleEffect::Joins,
            calleeEffectOnParam(fn(*AST, "stop_and_join"), 0, Api));
  EXPECT_EQ(HandleEffect::Detaches,
            calleeEffectOnParam(fn(*AST, "release"), 0, Api));
  EXPECT_EQ(HandleEffect::Joins, calleeEffectOnParam(fn(*AST, "via"), 0, Api));
  EXPECT_EQ(HandleEffect::Joins, calleeEffectOnParam(fn(*AST, "reap"), 0, Api));
  // Only on some calls, or out of sight: the callee takes it over.
  EXPECT_EQ(HandleEffect::Escapes,
            calleeEffectOnParam(fn(*AST, "sometimes"), 0, Api));
  EXPECT_EQ(HandleEffect::Escapes,
            calleeEffectOnParam(fn(*AST, "joinable_else"), 0, Api));
  auto M = match(functionDecl(hasName("keep")).bind("f"), AST->getASTContext());
  EXPECT_EQ(
      HandleEffect::Escapes,
      calleeEffectOnParam(M.front().getNodeAs<FunctionDecl>("f"), 0, Api));
  // Out of range.
  EXPECT_EQ(HandleEffect::Escapes,
            calleeEffectOnParam(fn(*AST, "reap"), 4, Api));
}

TEST(ThreadProgramTest, FunctionsReturningAFreshThread) {
  auto AST = parse(R"cpp(
    static void *body(void *) { return nullptr; }
    std::thread direct() { return std::thread(work); }
    std::thread named() { std::thread t(work); return t; }
    std::thread forwarded() { return direct(); }
    pthread_t spawned() { pthread_t t; pthread_create(&t, nullptr, body, nullptr); return t; }
    pthread_t detached() {
      pthread_t t; pthread_create(&t, nullptr, body, nullptr);
      pthread_detach(t); return t;
    }
    std::thread joined() { std::thread t(work); t.join(); return t; }
    std::thread g;
    std::thread stored() { return std::move(g); }
    pthread_t unknown();
    pthread_t passes() { return unknown(); }
    int not_a_handle() { return 0; }
  )cpp");
  ASSERT_TRUE(AST);
  ThreadApi Api = api();
  EXPECT_TRUE(returnsFreshThread(fn(*AST, "direct"), Api));
  EXPECT_TRUE(returnsFreshThread(fn(*AST, "named"), Api));
  EXPECT_TRUE(returnsFreshThread(fn(*AST, "forwarded"), Api));
  EXPECT_TRUE(returnsFreshThread(fn(*AST, "spawned"), Api));
  EXPECT_FALSE(returnsFreshThread(fn(*AST, "detached"), Api));
  EXPECT_FALSE(returnsFreshThread(fn(*AST, "joined"), Api));
  EXPECT_FALSE(returnsFreshThread(fn(*AST, "stored"), Api));
  EXPECT_FALSE(returnsFreshThread(fn(*AST, "passes"), Api));
  EXPECT_FALSE(returnsFreshThread(fn(*AST, "not_a_handle"), Api));
  EXPECT_FALSE(returnsFreshThread(nullptr, Api));
}

TEST(ThreadProgramTest, ThreadHandleTypes) {
  auto AST = parse(R"cpp(
    typedef struct _GThread GThread;
    std::thread a(); std::thread &b(); pthread_t c(); GThread *d(); int e();
  )cpp");
  ASSERT_TRUE(AST);
  ThreadApi Api = api();
  auto Ret = [&](const char *Name) {
    auto M = match(functionDecl(hasName(Name)).bind("f"), AST->getASTContext());
    return M.front().getNodeAs<FunctionDecl>("f")->getReturnType();
  };
  EXPECT_TRUE(isThreadHandleType(Ret("a"), Api));
  EXPECT_FALSE(isThreadHandleType(Ret("b"), Api)); // a reference: not fresh
  EXPECT_TRUE(isThreadHandleType(Ret("c"), Api));
  EXPECT_TRUE(isThreadHandleType(Ret("d"), Api));
  EXPECT_FALSE(isThreadHandleType(Ret("e"), Api));
}

TEST(ThreadProgramTest, CallThatNeverReturnsEndsThePath) {
  auto AST = parse(R"cpp(
    static void serve_forever() { for (;;) work(); }
    static void serve_once() { work(); }
    void body() { std::thread t(work); serve_forever(); serve_once(); }
  )cpp");
  ASSERT_TRUE(AST);
  const FunctionDecl *F = fn(*AST, "body");
  ASSERT_TRUE(F);
  auto M = match(
      functionDecl(hasName("body"), forEachDescendant(callExpr().bind("c"))),
      AST->getASTContext());
  ThreadApi Api = api();
  ParentMap PM(F->getBody());
  auto Var = match(varDecl(hasName("t")).bind("v"), AST->getASTContext());
  ThreadHandleModel Model(Var.front().getNodeAs<VarDecl>("v"), PM, Api);
  int Ends = 0, Plain = 0;
  for (auto &N : M) {
    const auto *CE = N.getNodeAs<CallExpr>("c");
    const FunctionDecl *Callee = CE->getDirectCallee();
    if (!Callee)
      continue;
    if (Callee->getName() == "serve_forever") {
      EXPECT_EQ(ResourceModel::Releases, Model.effectOf(CE));
      ++Ends;
    } else if (Callee->getName() == "serve_once") {
      EXPECT_EQ(ResourceModel::NoEffect, Model.effectOf(CE));
      ++Plain;
    }
  }
  EXPECT_EQ(1, Ends);
  EXPECT_EQ(1, Plain);
}

TEST(ThreadProgramTest, AnyUseOfSeesLambdaCaptures) {
  auto AST = parse(R"cpp(
    void body() {
      int a = 0, b = 0, c = 0;
      a = 1;
      auto l = [&b] { (void)b; };
      (void)c;
    }
  )cpp");
  ASSERT_TRUE(AST);
  const FunctionDecl *F = fn(*AST, "body");
  ASSERT_TRUE(F);
  auto Var = [&](const char *Name) {
    auto M = match(varDecl(hasName(Name), unless(parmVarDecl())).bind("v"),
                   AST->getASTContext());
    return M.front().getNodeAs<VarDecl>("v");
  };
  auto Never = [](const DeclRefExpr *) { return false; };
  auto Always = [](const DeclRefExpr *) { return true; };
  EXPECT_FALSE(anyUseOf(Var("a"), F->getBody(), Never));
  EXPECT_TRUE(anyUseOf(Var("a"), F->getBody(), Always));
  // A capture counts whatever the predicate says.
  EXPECT_TRUE(anyUseOf(Var("b"), F->getBody(), Never));
  EXPECT_FALSE(anyUseOf(Var("c"), F->getBody(), Never));
}

} // namespace
