//===--- ThreadModelTest.cpp - leak-tidy unit tests ----------------------===//
//
// The thread model on small code: endless loops in a thread body (and the
// ones that are not), unbounded spawn loops, the detach state read from
// pthread attributes, the failure branches of a spawn, and how one use of a
// handle is classified.
//
//===----------------------------------------------------------------------===//
#include "lib/thread/ThreadModel.h"
#include "ThreadCode.h"
#include "lib/core/FunctionCFG.h"
#include "lib/thread/ThreadBody.h"
#include "lib/thread/ThreadFacts.h"
#include "lib/thread/ThreadPaths.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMap.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

const char *Prelude = R"cpp(
void work();
bool more() noexcept;
void sleep_for_a_while();
namespace std { namespace this_thread { void sleep_for(int); } }
struct Flag { bool load() const; };
Flag stop;
bool plain_global;
typedef struct { int x; } attr_t;
enum { PTHREAD_CREATE_JOINABLE, PTHREAD_CREATE_DETACHED };
extern "C" int pthread_attr_setdetachstate(attr_t *, int);
extern "C" int spawn(int *, attr_t *, void (*)(void));
extern "C" int join(int) noexcept;
)cpp";

std::unique_ptr<ASTUnit> parse(const std::string &Code) {
  return tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Code,
                                           {"-std=c++17"});
}

const FunctionDecl *function(ASTUnit &AST, const char *Name) {
  auto M = match(functionDecl(hasName(Name), isDefinition()).bind("f"),
                 AST.getASTContext());
  return M.empty() ? nullptr : M[0].getNodeAs<FunctionDecl>("f");
}

const Stmt *firstLoop(const Stmt *S) {
  if (!S)
    return nullptr;
  if (isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S))
    return S;
  for (const Stmt *C : S->children())
    if (const Stmt *L = firstLoop(C))
      return L;
  return nullptr;
}

NameMatcher waits() { return NameMatcher({"std::this_thread::sleep_for"}); }

bool endless(const char *Body) {
  auto AST = parse(std::string("void body() ") + Body);
  const FunctionDecl *F = function(*AST, "body");
  return F && findEndlessLoop(F->getBody(), AST->getASTContext(), waits());
}

TEST(ThreadModelTest, EndlessLoops) {
  EXPECT_TRUE(endless("{ for (;;) work(); }"));
  EXPECT_TRUE(endless("{ while (true) { work(); } }"));
  EXPECT_TRUE(endless("{ bool running = true; while (running) work(); }"));
  EXPECT_TRUE(endless("{ do { work(); } while (1); }"));
}

TEST(ThreadModelTest, LoopsThatCanEnd) {
  EXPECT_FALSE(endless("{ for (;;) { if (!more()) break; work(); } }"));
  EXPECT_FALSE(endless("{ while (true) { if (!more()) return; } }"));
  EXPECT_FALSE(endless("{ while (!stop.load()) work(); }"));
  EXPECT_FALSE(endless("{ while (!plain_global) work(); }"));
  EXPECT_FALSE(endless("{ bool r = true; while (r) r = more(); }"));
  EXPECT_FALSE(endless("{ for (int i = 0; i < 10; ++i) work(); }"));
  // Periodic: the ticker check's.
  EXPECT_FALSE(
      endless("{ while (true) { work(); std::this_thread::sleep_for(1); } }"));
  // A loop inside a lambda of the body is another function.
  EXPECT_FALSE(endless("{ auto l = [] { for (;;) work(); }; (void)l; }"));
}

bool unbounded(const char *Body) {
  auto AST = parse(std::string("int next(); void body(int n) ") + Body);
  const FunctionDecl *F = function(*AST, "body");
  return F && isUnboundedLoop(firstLoop(F->getBody()), AST->getASTContext());
}

TEST(ThreadModelTest, UnboundedLoops) {
  EXPECT_TRUE(unbounded("{ for (;;) work(); }"));
  EXPECT_TRUE(unbounded("{ int c; while ((c = next()) >= 0) work(); }"));
  EXPECT_TRUE(unbounded("{ while (!stop.load()) work(); }"));
  EXPECT_FALSE(unbounded("{ for (int i = 0; i < n; ++i) work(); }"));
  EXPECT_FALSE(unbounded("{ for (int i = 0; i < 8; ++i) work(); }"));
  EXPECT_FALSE(unbounded("{ while (n-- > 0) work(); }"));
  EXPECT_FALSE(unbounded("{ int a[3]; for (int x : a) work(); }"));
}

AttrDetach detachState(const char *Body) {
  auto AST = parse(std::string("void body() ") + Body);
  const FunctionDecl *F = function(*AST, "body");
  auto M = match(
      functionDecl(
          hasName("body"),
          hasDescendant(
              callExpr(callee(functionDecl(hasName("spawn")))).bind("c"))),
      AST->getASTContext());
  if (!F || M.empty())
    return AttrDetach::Unknown;
  const auto *Call = M[0].getNodeAs<CallExpr>("c");
  return attrDetachState(Call->getArg(1), F->getBody(), AST->getASTContext());
}

TEST(ThreadModelTest, AttributeDetachState) {
  EXPECT_EQ(AttrDetach::Joinable,
            detachState("{ int t; spawn(&t, 0, work); }"));
  EXPECT_EQ(
      AttrDetach::Detached,
      detachState("{ attr_t a; pthread_attr_setdetachstate(&a, "
                  "PTHREAD_CREATE_DETACHED); int t; spawn(&t, &a, work); }"));
  EXPECT_EQ(
      AttrDetach::Joinable,
      detachState("{ attr_t a; pthread_attr_setdetachstate(&a, "
                  "PTHREAD_CREATE_JOINABLE); int t; spawn(&t, &a, work); }"));
  EXPECT_EQ(AttrDetach::Unknown,
            detachState("{ attr_t a; int s = more(); "
                        "pthread_attr_setdetachstate(&a, s); int t; "
                        "spawn(&t, &a, work); }"));
  EXPECT_EQ(AttrDetach::Joinable,
            detachState("{ attr_t a; int t; spawn(&t, &a, work); }"));
}

/// What the engine finds for the handle `t` of the spawn in body(), with the
/// thread's edge rules: the outcome, and the value returned where the path
/// leaves (-99: no return).
struct SpawnPath {
  LifetimeResult::Outcome K = LifetimeResult::GaveUp;
  int64_t Returns = -99;
};

SpawnPath spawnPath(const char *Body) {
  auto AST =
      parse(std::string("int quick(); int failed(int); int body() ") + Body);
  ASTContext &Ctx = AST->getASTContext();
  const FunctionDecl *F = function(*AST, "body");
  auto M =
      match(functionDecl(
                hasName("body"),
                hasDescendant(
                    callExpr(callee(functionDecl(hasName("spawn")))).bind("c")),
                hasDescendant(varDecl(hasName("t")).bind("t"))),
            Ctx);
  SpawnPath R;
  if (!F || M.empty())
    return R;
  const auto *Call = M[0].getNodeAs<CallExpr>("c");
  const auto *T = M[0].getNodeAs<VarDecl>("t");
  FunctionCFG *CFG = FunctionCFG::get(F, F->getBody(), Ctx);
  if (!CFG)
    return R;
  ThreadApi Api;
  Api.SpawnFunctions.add("spawn");
  Api.JoinFunctions.add("join");
  ThreadHandleModel Model(T, CFG->parents(), Api);
  ThreadEdgeRules Edges(*CFG, Call, T, /*CSpawn=*/true);
  Model.Edges = &Edges;
  Model.Acquire = Call;
  LifetimeQuery Q;
  Q.Acquire = Call;
  Q.Holder = T;
  Q.Failure = Edges.failureConvention();
  LifetimeResult Found = analyzeLifetime(*CFG, Q, Model);
  R.K = Found.K;
  if (Found.Path)
    if (const PathStep *Leave = Found.Path->leavingStep())
      if (const auto *Ret = dyn_cast_or_null<ReturnStmt>(Leave->S))
        if (const auto *IL = dyn_cast_or_null<IntegerLiteral>(
                Ret->getRetValue()->IgnoreParenImpCasts()))
          R.Returns = IL->getValue().getSExtValue();
  return R;
}

TEST(ThreadModelTest, SpawnEdges) {
  // The failure edge holds no thread: the search goes on to the early return
  // that does leak it.
  SpawnPath P = spawnPath(R"cpp({
      int t;
      if (spawn(&t, 0, work) != 0)
        goto fail;
      if (quick())
        return 1;
      join(t);
      return 0;
    fail:
      return -1;
    })cpp");
  EXPECT_EQ(LifetimeResult::Leaked, P.K);
  EXPECT_EQ(1, P.Returns);
  // Joined on every path with a thread (rc < 0: libuv's convention).
  EXPECT_EQ(LifetimeResult::Released, spawnPath(R"cpp({
      int t;
      int rc = spawn(&t, 0, work);
      if (rc < 0)
        return -1;
      join(t);
      return 0;
    })cpp")
                                          .K);
  // A test of the result we cannot read: either side may have no thread.
  EXPECT_EQ(LifetimeResult::GaveUp, spawnPath(R"cpp({
      int t;
      int rc = spawn(&t, 0, work);
      if (failed(rc))
        return -1;
      join(t);
      return 0;
    })cpp")
                                        .K);
  // A guard nothing changes: the edge contradicting it is pruned.
  EXPECT_EQ(LifetimeResult::Released, spawnPath(R"cpp({
      int t;
      int x = quick();
      if (x)
        spawn(&t, 0, work);
      if (x)
        work();
      else
        return 1;
      join(t);
      return 0;
    })cpp")
                                          .K);
}

TEST(ThreadModelTest, HandleUses) {
  auto AST = parse(R"cpp(
    void keep(int);
    void body() {
      int t;
      spawn(&t, 0, work);
      join(t);
      keep(t);
      if (t == 0) work();
    })cpp");
  const FunctionDecl *F = function(*AST, "body");
  ASSERT_TRUE(F);
  ThreadApi Api;
  Api.JoinFunctions.add("join");
  Api.SpawnFunctions.add("spawn");
  ParentMap PM(F->getBody());
  auto M =
      match(functionDecl(hasName("body"),
                         forEachDescendant(
                             declRefExpr(to(varDecl(hasName("t")))).bind("r"))),
            AST->getASTContext());
  std::vector<HandleEffect> Effects;
  std::vector<const DeclRefExpr *> Refs;
  for (auto &N : M)
    Refs.push_back(N.getNodeAs<DeclRefExpr>("r"));
  std::sort(Refs.begin(), Refs.end(), [](auto *A, auto *B) {
    return A->getBeginLoc() < B->getBeginLoc();
  });
  for (const DeclRefExpr *R : Refs) {
    Effects.push_back(classifyHandleRef(R, PM, Api));
  }
  // spawn(&t) itself, join(t), keep(t), t == 0
  ASSERT_EQ(4u, Effects.size());
  EXPECT_EQ(HandleEffect::Escapes, Effects[0]); // a second spawn: not ours
  EXPECT_EQ(HandleEffect::Joins, Effects[1]);
  EXPECT_EQ(HandleEffect::Escapes, Effects[2]);
  EXPECT_EQ(HandleEffect::None, Effects[3]);
}

const std::string ThreadPrelude = std::string(leaktest::ThreadStandIn) +
                                  "void work();\nvoid work_with(int);\n";

struct Starts {
  std::unique_ptr<ASTUnit> AST;
  std::vector<const CXXConstructExpr *> Ctors;
};

Starts threadStarts(const std::string &Code, const ThreadApi &Api) {
  Starts R;
  R.AST =
      tooling::buildASTFromCodeWithArgs(ThreadPrelude + Code, {"-std=c++17"});
  auto M = match(functionDecl(hasName("body"),
                              forEachDescendant(cxxConstructExpr().bind("c"))),
                 R.AST->getASTContext());
  for (auto &N : M)
    if (const auto *CE = threadStart(N.getNodeAs<CXXConstructExpr>("c"), Api))
      if (CE == N.getNodeAs<CXXConstructExpr>("c"))
        R.Ctors.push_back(CE);
  std::sort(R.Ctors.begin(), R.Ctors.end(), [](auto *A, auto *B) {
    return A->getBeginLoc() < B->getBeginLoc();
  });
  // An init list is visited in its syntactic and semantic forms.
  R.Ctors.erase(std::unique(R.Ctors.begin(), R.Ctors.end()), R.Ctors.end());
  return R;
}

TEST(ThreadFactsTest, StartContexts) {
  ThreadApi Api;
  Api.ThreadTypes.add("std::thread");
  Api.DetachMethods.insert("detach");
  Starts S = threadStarts(R"cpp(
    void body() {
      std::thread a(work);
      auto b = std::thread(work);
      std::thread(work).detach();
      std::thread c;
      c = std::thread(work_with, 1);
      std::thread d{std::thread(work)}; // initialized from a temporary start
      a.join(); b.join(); c.join(); d.join();
    })cpp",
                          Api);
  ASSERT_EQ(5u, S.Ctors.size());
  ASTContext &Ctx = S.AST->getASTContext();
  StartContext A = startContext(S.Ctors[0], Ctx, Api);
  EXPECT_TRUE(A.Var && A.Var->getName() == "a");
  StartContext B = startContext(S.Ctors[1], Ctx, Api);
  EXPECT_TRUE(B.Var && B.Var->getName() == "b");
  StartContext T = startContext(S.Ctors[2], Ctx, Api);
  EXPECT_TRUE(T.Detach);
  EXPECT_FALSE(T.Var);
  StartContext C = startContext(S.Ctors[3], Ctx, Api);
  EXPECT_TRUE(C.Assign && C.Var && C.Var->getName() == "c");
  StartContext D = startContext(S.Ctors[4], Ctx, Api);
  EXPECT_TRUE(D.Var && D.Var->getName() == "d");
}

TEST(ThreadFactsTest, StopTokenCannotBePassed) {
  ThreadApi Api;
  Api.ThreadTypes.add("std::thread");
  Starts S = threadStarts(R"cpp(
    void body() {
      std::thread a(work);                        // function, no params
      std::thread b([](int n) { work_with(n); }, 1); // exact arity
      std::thread c([](auto... x) { work(); });   // generic: could take one
      std::thread d([](int n = 0) { work(); });   // a default argument
      a.join(); b.join(); c.join(); d.join();
    })cpp",
                          Api);
  ASSERT_EQ(4u, S.Ctors.size());
  EXPECT_TRUE(callableIgnoresStopToken(S.Ctors[0]));
  EXPECT_TRUE(callableIgnoresStopToken(S.Ctors[1]));
  EXPECT_FALSE(callableIgnoresStopToken(S.Ctors[2]));
  EXPECT_FALSE(callableIgnoresStopToken(S.Ctors[3]));
}

TEST(ThreadModelTest, ThreadContainersAndHandles) {
  auto AST = parse(std::string(leaktest::ThreadStandIn) + R"cpp(
    namespace std {
    template <class T> struct vector {};
    template <class K, class V, class C = int> struct map {};
    template <class K, class V> struct unordered_map {};
    template <class K> struct set {};
    }
    typedef unsigned long thrd_t;
    void body() {
      std::vector<std::thread> seq;
      std::map<int, std::thread> keyed;
      std::unordered_map<int, std::thread> hashed;
      std::map<std::thread *, int> keys_only;
      std::set<int> not_threads;
      thrd_t c11;
    })cpp");
  ASSERT_TRUE(AST);
  ThreadApi Api;
  Api.ThreadTypes.add("std::thread");
  auto TypeOf = [&](const char *Name) {
    auto M = match(varDecl(hasName(Name)).bind("v"), AST->getASTContext());
    return M.empty() ? QualType() : M[0].getNodeAs<VarDecl>("v")->getType();
  };
  EXPECT_TRUE(threadContainerElement(TypeOf("seq"), Api));
  EXPECT_FALSE(isMapContainer(TypeOf("seq")));
  EXPECT_TRUE(threadContainerElement(TypeOf("keyed"), Api));
  EXPECT_TRUE(isMapContainer(TypeOf("keyed")));
  EXPECT_TRUE(threadContainerElement(TypeOf("hashed"), Api));
  EXPECT_FALSE(threadContainerElement(TypeOf("keys_only"), Api));
  EXPECT_FALSE(threadContainerElement(TypeOf("not_threads"), Api));
  EXPECT_TRUE(isThreadHandleType(TypeOf("c11"), Api));
}

} // namespace
