//===--- TimerModelTest.cpp - leak-tidy unit tests
//-------------------------===//
//
// The timer model and its analyses on small snippets with stand-in
// declarations of the C APIs (same names and signatures as the real ones):
// call classification, periodic arming, durations, GLib callbacks, pile-up
// reasons, ticker loops and Asio-style re-arming.
//
//===----------------------------------------------------------------------===//
#include "lib/timer/TimerModel.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LoopFacts.h"
#include "lib/core/VarUses.h"
#include "lib/timer/HandleUses.h"
#include "lib/timer/HolderFacts.h"
#include "lib/timer/PileUpFacts.h"
#include "lib/timer/TickerFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <functional>
#include <map>

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

const char *Prelude = R"cpp(
typedef void *timer_t;
struct timespec { long tv_sec; long tv_nsec; };
struct itimerspec { struct timespec it_interval; struct timespec it_value; };
extern "C" {
int timer_create(int, void *, timer_t *);
int timer_settime(timer_t, int, const itimerspec *, itimerspec *);
int timer_delete(timer_t);
struct uv_timer_s; typedef struct uv_timer_s uv_timer_t;
typedef void (*uv_timer_cb)(uv_timer_t *);
int uv_timer_start(uv_timer_t *, uv_timer_cb, unsigned long, unsigned long);
int uv_timer_stop(uv_timer_t *);
typedef int gboolean; typedef void *gpointer;
typedef gboolean (*GSourceFunc)(gpointer);
unsigned g_timeout_add(unsigned, GSourceFunc, gpointer);
unsigned g_timeout_add_seconds(unsigned, GSourceFunc, gpointer);
gboolean g_source_remove(unsigned);
struct event; struct event_base;
struct event *event_new(struct event_base *, int, short,
                        void (*)(int, short, void *), void *);
int event_free(struct event *);
unsigned sleep(unsigned);
void *malloc(unsigned long);
}
namespace std { namespace this_thread { void sleep_for(int); } }
bool running();
void work();
)cpp";

struct Parsed {
  std::unique_ptr<ASTUnit> AST;
  const FunctionDecl *F = nullptr;
  ASTContext &ctx() { return AST->getASTContext(); }
};

Parsed parse(const std::string &Body) {
  Parsed P;
  P.AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Body,
                                            {"-std=c++17"}, "input.cpp");
  if (!P.AST)
    return P;
  auto Fns =
      match(functionDecl(hasName("f"), isDefinition()).bind("f"), P.ctx());
  if (!Fns.empty())
    P.F = Fns[0].getNodeAs<FunctionDecl>("f");
  return P;
}

template <typename NodeT>
const NodeT *first(Parsed &P, internal::BindableMatcher<Stmt> M) {
  auto R = match(
      functionDecl(hasName("f"), isDefinition(), hasDescendant(M.bind("n"))),
      P.ctx());
  return R.empty() ? nullptr : R[0].template getNodeAs<NodeT>("n");
}

const CallExpr *call(Parsed &P, const char *Name) {
  return first<CallExpr>(P, callExpr(callee(functionDecl(hasName(Name)))));
}

TEST(TimerModel, ClassifiesCApis) {
  Parsed P = parse("void f(timer_t t, uv_timer_t *u) {\n"
                   " timer_delete(t);\n uv_timer_stop(u);\n"
                   " g_source_remove(3);\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  TimerCall D = M.classify(call(P, "timer_delete"));
  EXPECT_EQ(D.Role, TimerRole::Destroy);
  EXPECT_EQ(D.Framework, TimerFramework::Posix);
  TimerCall S = M.classify(call(P, "uv_timer_stop"));
  EXPECT_EQ(S.Role, TimerRole::Stop);
  EXPECT_EQ(S.Framework, TimerFramework::LibUv);
  EXPECT_EQ(M.classify(call(P, "g_source_remove")).Framework,
            TimerFramework::GLib);
}

TEST(TimerModel, UserFunctionsFromOptions) {
  Parsed P = parse("namespace my { void every(int, int); void cancel(int); }\n"
                   "void f() { my::every(1, 2); my::cancel(1); }\n");
  ASSERT_TRUE(P.F);
  TimerOptions O;
  O.PeriodicArmFunctions = {"my::every"};
  O.StopFunctions = {"my::cancel"};
  TimerModel M(O);
  TimerCall A = M.classify(call(P, "every"));
  EXPECT_EQ(A.Role, TimerRole::Arm);
  EXPECT_TRUE(M.isPeriodicArm(call(P, "every"), A, P.F->getBody(), P.ctx()));
  EXPECT_EQ(M.classify(call(P, "cancel")).Role, TimerRole::Destroy);
  // Without the options they are unknown.
  EXPECT_FALSE(TimerModel().classify(call(P, "every")));
}

TEST(TimerModel, PosixPeriodicFromInitializerAndAssignments) {
  Parsed P = parse("void f(timer_t t, timer_t u, timer_t v) {\n"
                   " itimerspec a = {{1, 0}, {1, 0}};\n"
                   " timer_settime(t, 0, &a, 0);\n"
                   " itimerspec b = {};\n b.it_value.tv_sec = 5;\n"
                   " timer_settime(u, 0, &b, 0);\n"
                   " itimerspec c = {};\n c.it_interval.tv_nsec = 500;\n"
                   " timer_settime(v, 0, &c, 0);\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  auto Calls = match(
      functionDecl(hasName("f"),
                   forEachDescendant(
                       callExpr(callee(functionDecl(hasName("timer_settime"))))
                           .bind("c"))),
      P.ctx());
  ASSERT_EQ(Calls.size(), 3u);
  std::vector<bool> Periodic;
  for (auto &B : Calls) {
    const auto *C = B.getNodeAs<CallExpr>("c");
    Periodic.push_back(
        M.isPeriodicArm(C, M.classify(C), P.F->getBody(), P.ctx()));
  }
  // forEachDescendant visits in source order.
  EXPECT_EQ(Periodic, (std::vector<bool>{true, false, true}));
}

TEST(TimerModel, UvRepeatAndDelay) {
  Parsed P = parse("void cb(uv_timer_t *);\n"
                   "void f(uv_timer_t *a, uv_timer_t *b, unsigned long r) {\n"
                   " uv_timer_start(a, cb, 1500, 1000);\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  const CallExpr *C = call(P, "uv_timer_start");
  TimerCall TC = M.classify(C);
  EXPECT_TRUE(M.isPeriodicArm(C, TC, P.F->getBody(), P.ctx()));
  auto D = TimerModel::constantDelay(C, TC, P.ctx());
  ASSERT_TRUE(D.has_value());
  EXPECT_DOUBLE_EQ(*D, 1.5);
  EXPECT_EQ(TimerModel::callbackOf(C)->getName(), "cb");
}

TEST(TimerModel, GLibCallbacks) {
  Parsed P =
      parse("gboolean always(gpointer) { work(); return 1; }\n"
            "gboolean maybe(gpointer d) { if (!d) return 0; return 1; }\n"
            "gboolean removes(gpointer) { g_source_remove(1); return 1; }\n"
            "void f() {\n g_timeout_add(10, always, 0);\n"
            " g_timeout_add_seconds(3, (GSourceFunc)maybe, 0);\n}\n");
  ASSERT_TRUE(P.F);
  auto Fn = [&](const char *N) {
    auto R = match(functionDecl(hasName(N), isDefinition()).bind("x"), P.ctx());
    return R[0].getNodeAs<FunctionDecl>("x");
  };
  EXPECT_TRUE(TimerModel::glibCallbackNeverRemoves(Fn("always")));
  EXPECT_FALSE(TimerModel::glibCallbackNeverRemoves(Fn("maybe")));
  EXPECT_FALSE(TimerModel::glibCallbackNeverRemoves(Fn("removes")));
  const CallExpr *Secs = call(P, "g_timeout_add_seconds");
  EXPECT_EQ(TimerModel::callbackOf(Secs), Fn("maybe")); // through the cast
  TimerModel M;
  auto D = TimerModel::constantDelay(Secs, M.classify(Secs), P.ctx());
  ASSERT_TRUE(D.has_value());
  EXPECT_DOUBLE_EQ(*D, 3.0);
}

TEST(TimerModel, DescribeDuration) {
  EXPECT_EQ(describeDuration(180), "3 minutes");
  EXPECT_EQ(describeDuration(0.1), "100 ms");
  EXPECT_EQ(describeDuration(1), "1 second");
  EXPECT_EQ(describeDuration(90), "1.5 minutes");
  EXPECT_EQ(describeDuration(7200), "2 hours");
}

TEST(TimerFacts, PileUpOfCHandles) {
  Parsed P = parse("void f() {\n"
                   " while (running()) {\n"
                   "  timer_t t;\n  timer_create(1, 0, &t);\n }\n"
                   " while (running()) {\n"
                   "  timer_t t;\n  timer_create(1, 0, &t);\n"
                   "  timer_delete(t);\n }\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  auto Loops = match(
      functionDecl(hasName("f"), forEachDescendant(whileStmt().bind("w"))),
      P.ctx());
  ASSERT_EQ(Loops.size(), 2u);
  auto CFG = FunctionCFG::build(P.F, P.F->getBody(), P.ctx());
  ASSERT_TRUE(CFG);
  std::vector<bool> Leaks;
  for (auto &B : Loops) {
    const auto *W = B.getNodeAs<WhileStmt>("w");
    std::vector<const Expr *> C = timerCreations(W->getBody(), M);
    ASSERT_EQ(C.size(), 1u);
    auto PU = findPileUp(C[0], W->getBody(), W, P.F->getBody(), CFG.get(), M,
                         P.ctx(), PileUpOptions());
    Leaks.push_back(PU.has_value());
    if (PU)
      EXPECT_EQ(PU->Why, PileUp::NeverReleased);
  }
  EXPECT_EQ(Leaks, (std::vector<bool>{true, false}));
}

TEST(TimerFacts, GLibPendingRespectsMinDelay) {
  Parsed P = parse("gboolean once(gpointer) { return 0; }\n"
                   "void f() {\n while (running()) {\n"
                   "  g_timeout_add_seconds(600, once, 0);\n"
                   "  g_timeout_add(20, once, 0);\n }\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  const auto *W = first<WhileStmt>(P, whileStmt());
  std::vector<const Expr *> C = timerCreations(W->getBody(), M);
  ASSERT_EQ(C.size(), 2u);
  int Found = 0;
  for (const Expr *E : C)
    if (auto PU = findPileUp(E, W->getBody(), W, P.F->getBody(), nullptr, M,
                             P.ctx(), PileUpOptions())) {
      ++Found;
      EXPECT_EQ(PU->Why, PileUp::PendingUntilFired);
      ASSERT_TRUE(PU->Duration.has_value());
      EXPECT_DOUBLE_EQ(*PU->Duration, 600.0);
    }
  EXPECT_EQ(Found, 1);
}

TEST(TimerFacts, TickerLoops) {
  Parsed P = parse("extern volatile bool stop;\n"
                   "void f() {\n"
                   " for (;;) { work(); sleep(1); }\n"
                   " for (;;) { sleep(1); if (stop) break; }\n"
                   " for (;;) { if (stop) sleep(1); work(); }\n"
                   " while (running()) { sleep(1); }\n}\n");
  ASSERT_TRUE(P.F);
  NameMatcher Waits(defaultWaitFunctions());
  auto Loops =
      match(functionDecl(hasName("f"),
                         forEachDescendant(
                             stmt(anyOf(forStmt(), whileStmt())).bind("l"))),
            P.ctx());
  ASSERT_EQ(Loops.size(), 4u);
  std::vector<bool> Ticker;
  for (auto &B : Loops)
    Ticker.push_back(
        findTickerLoopWait(B.getNodeAs<Stmt>("l"), Waits, P.ctx()) != nullptr);
  EXPECT_EQ(Ticker, (std::vector<bool>{true, false, false, false}));
}

TEST(TimerFacts, ReturnedCreationFollowsHelpers) {
  Parsed P = parse("struct event *make(struct event_base *b) {\n"
                   "  return event_new(b, -1, 0x10, 0, 0);\n}\n"
                   "struct event *viaLocal(struct event_base *b) {\n"
                   "  struct event *e = make(b);\n  return e;\n}\n"
                   "struct event *g;\n"
                   "struct event *notFresh() { return g; }\n"
                   "struct event *sometimes(struct event_base *b) {\n"
                   "  if (running()) return 0;\n"
                   "  return event_new(b, -1, 0x10, 0, 0);\n}\n"
                   "int loop(int n) { return n ? loop(n - 1) : 0; }\n"
                   "void f(struct event_base *b) {\n"
                   "  make(b); viaLocal(b); notFresh(); sometimes(b);\n"
                   "  loop(3);\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  auto IsCreate = [&](const Expr *E) {
    const auto *CE = dyn_cast<CallExpr>(E);
    return CE && M.classify(CE).Role == TimerRole::Create;
  };
  // Through a local, and through another helper when the predicate asks
  // again.
  const Expr *Direct = returnedCreation(call(P, "make"), IsCreate);
  ASSERT_TRUE(Direct);
  EXPECT_EQ(calleeName(cast<CallExpr>(Direct)), "event_new");
  std::function<bool(const Expr *)> Nested = [&](const Expr *E) {
    const auto *CE = dyn_cast<CallExpr>(E);
    return CE && (IsCreate(E) || returnedCreation(CE, Nested));
  };
  EXPECT_TRUE(returnedCreation(call(P, "viaLocal"), Nested));
  EXPECT_FALSE(returnedCreation(call(P, "viaLocal"), IsCreate));
  // A global, or a path that returns null: not fresh. Recursion ends.
  EXPECT_FALSE(returnedCreation(call(P, "notFresh"), Nested));
  EXPECT_FALSE(returnedCreation(call(P, "sometimes"), Nested));
  EXPECT_FALSE(returnedCreation(call(P, "loop"), Nested));
  // A library function is not a helper.
  EXPECT_FALSE(returnedCreation(call(P, "event_new"), IsCreate));
}

TEST(TimerFacts, HelperThatReleasesCountsAsRelease) {
  Parsed P = parse("void drop(struct event *e) { event_free(e); }\n"
                   "void dropTwice(struct event *e) { drop(e); }\n"
                   "void keep(struct event *e) { (void)e; }\n"
                   "void maybe(struct event *e) { if (running()) drop(e); }\n"
                   "void f(struct event *t) {\n"
                   "  drop(t); dropTwice(t); keep(t); maybe(t);\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  const ValueDecl *T = P.F->getParamDecl(0);
  auto Releases = [&](const char *Name) {
    return isReleaseOf(call(P, Name), T, M, /*StopCounts=*/false);
  };
  EXPECT_TRUE(Releases("drop"));
  EXPECT_TRUE(Releases("dropTwice"));
  EXPECT_FALSE(Releases("keep"));
  EXPECT_FALSE(Releases("maybe")); // only on some calls
}

TEST(TimerFacts, UnstoppedArmAsksTheProgramModel) {
  Parsed P = parse("void serve() { for (;;) work(); }\n"
                   "void f(bool daemon) {\n"
                   "  timer_t a; timer_create(1, 0, &a);\n"
                   "  itimerspec its = {{1, 0}, {1, 0}};\n"
                   "  timer_settime(a, 0, &its, 0);\n"
                   "  if (daemon) for (;;) work();\n}\n"
                   "void g() {\n"
                   "  timer_t b; timer_create(1, 0, &b);\n"
                   "  itimerspec its = {{1, 0}, {1, 0}};\n"
                   "  timer_settime(b, 0, &its, 0);\n"
                   "  serve();\n}\n");
  ASSERT_TRUE(P.F);
  TimerOptions O = TimerOptions::defaults();
  TimerModel M(O);
  TickerFacts TF(P.ctx(), M, O);
  // f returns when !daemon: its ticker is reported; g never returns (serve
  // loops forever): its ticker lives as long as the process.
  TickerFindings F = TF.inFunction(P.F);
  ASSERT_EQ(F.Arms.size(), 1u);
  EXPECT_EQ(F.Arms[0].Timer->getName(), "a");
  auto G = match(functionDecl(hasName("g"), isDefinition()).bind("g"), P.ctx());
  ASSERT_EQ(G.size(), 1u);
  EXPECT_TRUE(TF.inFunction(G[0].getNodeAs<FunctionDecl>("g")).Arms.empty());
}

TEST(TimerFacts, CoroutineUserBody) {
  // A minimal <coroutine>: what clang looks up for co_await / co_return.
  const char *Coro = R"cpp(
namespace std {
template <class R, class...> struct coroutine_traits {
  using promise_type = typename R::promise_type;
};
template <class P = void> struct coroutine_handle {
  static coroutine_handle from_address(void *) noexcept { return {}; }
  template <class Q> coroutine_handle(coroutine_handle<Q>) noexcept {}
  coroutine_handle() = default;
  static coroutine_handle from_promise(P &) noexcept { return {}; }
};
struct suspend_never {
  bool await_ready() const noexcept { return true; }
  void await_suspend(coroutine_handle<>) const noexcept {}
  void await_resume() const noexcept {}
};
} // namespace std
struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
Task f() {
  while (running()) {
    timer_t t;
    timer_create(1, 0, &t);
    co_await std::suspend_never{};
  }
}
)cpp";
  Parsed P;
  P.AST = tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Coro,
                                            {"-std=c++20"}, "input.cpp");
  ASSERT_TRUE(P.AST);
  auto Fns =
      match(functionDecl(hasName("f"), isDefinition()).bind("f"), P.ctx());
  ASSERT_EQ(Fns.size(), 1u);
  P.F = Fns[0].getNodeAs<FunctionDecl>("f");
  ASSERT_TRUE(isa<CoroutineBodyStmt>(P.F->getBody()));
  const Stmt *Body = userBody(P.F);
  ASSERT_TRUE(Body);
  EXPECT_TRUE(isa<CompoundStmt>(Body));
  // The walk sees the user's statements (and the loop's timer), not the
  // promise and suspend points around them.
  TimerModel M;
  int Loops = 0, Creations = 0;
  forEachBodyStmt(P.F, [&](const FunctionDecl *, const Stmt *B, const Stmt *S) {
    EXPECT_EQ(B, Body);
    Loops += isLoop(S);
    if (const auto *E = dyn_cast<Expr>(S))
      Creations += isTimerCreation(E, M);
  });
  EXPECT_EQ(Loops, 1);
  EXPECT_EQ(Creations, 1);
}

TEST(TimerOptions, DefaultsInOnePlace) {
  TimerOptions O = TimerOptions::defaults();
  EXPECT_EQ(O.MaxConstantTripCount, 16u);
  EXPECT_EQ(O.MinDelayMs, 1000u);
  EXPECT_FALSE(O.IgnoreParentedQTimer);
  EXPECT_TRUE(O.TimerTypes.empty());
  EXPECT_FALSE(O.WaitFunctions.empty());
  EXPECT_EQ(O.StopMethods.front(), "stop");
  PileUpOptions P = PileUpOptions::from(O);
  EXPECT_DOUBLE_EQ(P.MinDelaySeconds, 1.0);
  EXPECT_EQ(P.MaxConstantTripCount, 16u);
}

TEST(TimerModel, FunctionRoleOfDeleters) {
  Parsed P = parse("void f() { timer_delete(0); }\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  const FunctionDecl *Del = call(P, "timer_delete")->getDirectCallee();
  EXPECT_EQ(M.functionRole(Del).Role, TimerRole::Destroy);
  EXPECT_EQ(M.functionRole(Del).Framework, TimerFramework::Posix);
  EXPECT_EQ(M.functionRole(P.F).Role, TimerRole::None);
}

TEST(PileUpFacts, LoopsOfAFunctionAndHelpers) {
  Parsed P = parse("void helper() { timer_t t; timer_create(1, 0, &t); }\n"
                   "void f() {\n"
                   " while (running()) { timer_t t; timer_create(1, 0, &t); }\n"
                   " while (running()) helper();\n"
                   " for (int i = 0; i < 3; ++i) helper();\n"
                   " while (running()) { timer_t t; timer_create(1, 0, &t);\n"
                   "   timer_delete(t); }\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  PileUpFacts Facts(M, PileUpOptions());
  std::vector<LoopPileUp> F = Facts.inFunction(P.F, P.ctx());
  ASSERT_EQ(F.size(), 2u);
  int Direct = 0, ViaHelper = 0;
  for (const LoopPileUp &L : F) {
    EXPECT_EQ(L.P.Why, PileUp::NeverReleased);
    (L.Helper ? ViaHelper : Direct)++;
  }
  EXPECT_EQ(Direct, 1);
  EXPECT_EQ(ViaHelper, 1);
}

TEST(HolderFacts, OwnersThatReleaseOnDestruction) {
  Parsed P = parse("struct Owner { event *e; ~Owner() { event_free(e); } };\n"
                   "struct View { event *e; ~View() { work(); } };\n"
                   "struct Plain { event *e; };\n"
                   "void f() { Owner a{0}; View b{0}; Plain c{0}; }\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  auto Vars = match(varDecl(hasLocalStorage()).bind("v"), P.ctx());
  std::map<std::string, bool> Releases;
  for (auto &B : Vars) {
    const auto *V = B.getNodeAs<VarDecl>("v");
    Releases[V->getName().str()] = releasesOnDestruction(V, M);
  }
  EXPECT_TRUE(Releases["a"]);
  EXPECT_FALSE(Releases["b"]);
  EXPECT_FALSE(Releases["c"]);
}

TEST(HolderFacts, CreationFailureConventions) {
  Parsed P = parse("void f() { timer_t t; timer_create(1, 0, &t);\n"
                   " event_new(0, -1, 0, 0, 0); g_timeout_add(1, 0, 0); }\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  EXPECT_EQ(creationFailure(call(P, "timer_create"), M),
            FailureConvention::NonZeroStatus);
  EXPECT_EQ(creationFailure(call(P, "event_new"), M),
            FailureConvention::NullPointer);
  // g_timeout_add creates and arms: no failure to test.
  EXPECT_EQ(creationFailure(call(P, "g_timeout_add"), M),
            FailureConvention::None);
}

TEST(HolderFacts, ReleaseOfEveryElementBeforeClear) {
  Parsed P =
      parse("struct V { timer_t *begin(); timer_t *end(); void clear(); };\n"
            "void f() { V a, b;\n"
            " for (timer_t t : a) timer_delete(t);\n a.clear();\n"
            " b.clear();\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  auto Clears = match(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("clear")))).bind("c"),
      P.ctx());
  ASSERT_EQ(Clears.size(), 2u);
  for (auto &B : Clears) {
    const auto *C = B.getNodeAs<CXXMemberCallExpr>("c");
    const ValueDecl *Obj = handleKey(C->getImplicitObjectArgument());
    ASSERT_TRUE(Obj);
    EXPECT_EQ(releasesAllOf(C, Obj, M, P.ctx()), Obj->getName() == "a")
        << Obj->getName().str();
  }
}

TEST(TickerFacts, PeriodicPosixTimerNeverDeleted) {
  Parsed P = parse("void f() {\n timer_t t;\n timer_create(1, 0, &t);\n"
                   " itimerspec s = {{1, 0}, {1, 0}};\n"
                   " timer_settime(t, 0, &s, 0);\n"
                   " while (running()) work();\n}\n");
  ASSERT_TRUE(P.F);
  TimerModel M;
  TimerOptions O = TimerOptions::defaults();
  TickerFacts Facts(P.ctx(), M, O);
  TickerFindings F = Facts.inFunction(P.F);
  ASSERT_EQ(F.Arms.size(), 1u);
  EXPECT_EQ(F.Arms[0].Framework, TimerFramework::Posix);
  EXPECT_EQ(F.Arms[0].Timer->getName(), "t");
  EXPECT_TRUE(F.Arms[0].Creation);
  EXPECT_TRUE(F.Loops.empty());
  // Each timer is reported once.
  EXPECT_TRUE(Facts.inFunction(P.F).Arms.empty());
}

TEST(LoopFacts, ConstantTripCountOverBracedList) {
  Parsed P =
      parse("namespace std { template <class T> class initializer_list {\n"
            " const T *b; unsigned long n;\n public:\n"
            " const T *begin() const { return b; }\n"
            " const T *end() const { return b + n; } }; }\n"
            "void f() { for (int d : {1, 2, 3}) work(); }\n");
  ASSERT_TRUE(P.F);
  const auto *L = first<CXXForRangeStmt>(P, cxxForRangeStmt());
  ASSERT_TRUE(L);
  auto N = constantTripCount(L, P.ctx());
  ASSERT_TRUE(N.has_value());
  EXPECT_EQ(*N, 3u);
}

} // namespace
