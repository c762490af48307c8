//===--- ChannelModelTest.cpp - leak-tidy unit tests ----------------------===//
//
// The channel model (families, handle types, capacity semantics, reference
// classification) and the traffic counting on small functions.
//
//===----------------------------------------------------------------------===//
#include "lib/channel/ChannelModel.h"
#include "lib/channel/ChannelCounting.h"
#include "lib/channel/ChannelFacts.h"
#include "lib/channel/ChannelProgram.h"
#include "lib/core/FunctionCFG.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <map>

using namespace clang;
using namespace clang::ast_matchers;
using namespace clang::leaklib;

namespace {

// Minimal stand-ins with the real names (the model works by name).
const char *Prelude = R"cpp(
namespace std {
template <class T> struct shared_ptr { T *operator->() const; };
template <class T, class... A> shared_ptr<T> make_shared(A &&...);
}
namespace boost { namespace fibers {
enum class channel_op_status { success, closed };
template <class T> struct buffered_channel {
  explicit buffered_channel(unsigned long cap);
  channel_op_status push(T);
  T value_pop();
  channel_op_status try_pop(T &);
  void close();
  bool is_closed() const;
};
template <class T> struct unbuffered_channel {
  channel_op_status push(T);
  T value_pop();
  void close();
};
}}
namespace acme {
template <class T> struct Chan {
  explicit Chan(unsigned long cap = 5);
  void send(T);
  T recv();
};
}
void start(int n);
void recv1();
void recvTry();
void closeIt();
void dieNow();
bool cond();
)cpp";

ChannelModel defaultModel(std::vector<std::string> *Errors = nullptr) {
  ChannelConfig C = ChannelConfig::defaults();
  C.Types.push_back("acme::Chan");
  C.Send.push_back("acme::Chan::send");
  C.Receive.push_back("acme::Chan::recv");
  C.CapacitySemantics.push_back("acme::Chan=arg");
  return ChannelModel(C, Errors);
}

std::unique_ptr<ASTUnit> parse(const std::string &Body) {
  return tooling::buildASTFromCodeWithArgs(std::string(Prelude) + Body,
                                           {"-std=c++17"}, "input.cpp");
}

const VarDecl *var(ASTContext &Ctx, const char *Name) {
  auto M = match(varDecl(hasName(Name)).bind("v"), Ctx);
  return M.empty() ? nullptr : M[0].getNodeAs<VarDecl>("v");
}

TEST(ChannelModel, CapacityKinds) {
  EXPECT_EQ(parseCapacityKind("arg-minus-one"), CapacityKind::ArgMinusOne);
  EXPECT_EQ(parseCapacityKind(" unbounded "), CapacityKind::Unbounded);
  EXPECT_FALSE(parseCapacityKind("big").has_value());
  EXPECT_EQ(capacityKindName(CapacityKind::Promise), "promise");
}

TEST(ChannelModel, ConfigurationErrors) {
  ChannelConfig C;
  C.Types = {"acme::Chan"};
  C.CapacitySemantics = {"acme::Chan=huge", "acme::Other=arg"};
  std::vector<std::string> Errors;
  ChannelModel M(C, &Errors);
  EXPECT_EQ(Errors.size(), 2u);
}

TEST(ChannelModel, HandleTypesAndCapacity) {
  auto AST = parse(R"cpp(
void f(unsigned long n) {
  boost::fibers::buffered_channel<int> a(8);
  auto b = std::make_shared<boost::fibers::buffered_channel<int>>(4);
  boost::fibers::unbuffered_channel<int> c;
  boost::fibers::buffered_channel<int> d(n);
  acme::Chan<int> e;
  acme::Chan<int> &r = e;
  int notAChannel = 0;
}
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ChannelModel M = defaultModel();
  auto Cap = [&](const char *Name) {
    const VarDecl *V = var(Ctx, Name);
    const ChannelFamily *F = V ? M.familyOfHandleType(V->getType()) : nullptr;
    return F ? M.capacityOf(*F, V->getInit(), Ctx) : std::nullopt;
  };
  EXPECT_EQ(Cap("a"), std::optional<uint64_t>(7)); // cap - 1
  EXPECT_EQ(Cap("b"), std::optional<uint64_t>(3));
  EXPECT_EQ(Cap("c"), std::optional<uint64_t>(0));
  EXPECT_FALSE(Cap("d").has_value());              // not a constant
  EXPECT_EQ(Cap("e"), std::optional<uint64_t>(5)); // the default argument
  const VarDecl *R = var(Ctx, "r");
  ASSERT_TRUE(R);
  EXPECT_NE(M.familyOfHandleType(R->getType()), nullptr);
  EXPECT_FALSE(ChannelModel::isByValue(R->getType()));
  EXPECT_EQ(M.familyOfHandleType(var(Ctx, "notAChannel")->getType()), nullptr);
}

TEST(ChannelModel, ClassifiesReferences) {
  auto AST = parse(R"cpp(
void consume(boost::fibers::buffered_channel<int> &);
void f() {
  boost::fibers::buffered_channel<int> ch(4);
  ch.push(1);
  if (ch.push(2) == boost::fibers::channel_op_status::closed) return;
  int v = ch.value_pop();
  ch.try_pop(v);
  ch.is_closed();
  ch.close();
  consume(ch);
}
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ChannelModel M = defaultModel();
  const VarDecl *Ch = var(Ctx, "ch");
  ASSERT_TRUE(Ch);
  const ChannelFamily *F = M.familyOfHandleType(Ch->getType());
  ASSERT_TRUE(F);
  auto Refs = match(declRefExpr(to(varDecl(hasName("ch")))).bind("r"), Ctx);
  std::vector<ChannelUse> Uses;
  for (auto &N : Refs)
    Uses.push_back(M.classifyRef(N.getNodeAs<Expr>("r"), *F, Ctx));
  ASSERT_EQ(Uses.size(), 7u);
  EXPECT_EQ(Uses[0].Op, ChannelOp::Send);
  EXPECT_FALSE(Uses[0].StatusUsed);
  EXPECT_EQ(Uses[1].Op, ChannelOp::Send);
  EXPECT_TRUE(Uses[1].StatusUsed);
  EXPECT_EQ(Uses[2].Op, ChannelOp::Receive);
  EXPECT_EQ(Uses[3].Op, ChannelOp::TryReceive);
  EXPECT_EQ(Uses[4].K, ChannelUse::Neutral);
  EXPECT_EQ(Uses[5].Op, ChannelOp::Close);
  EXPECT_EQ(Uses[6].K, ChannelUse::ExternalEscape);
}

TEST(ChannelModel, DefaultsAreTheOptionStrings) {
  ChannelConfig C = ChannelConfig::defaults();
  EXPECT_EQ(joinList(C.Types), ChannelDefaults::Types);
  EXPECT_EQ(joinList(C.StartFunctions), ChannelDefaults::StartFunctions);
  EXPECT_FALSE(C.ReportEscapingChannels);
}

// A thread that runs its argument: a start class of the defaults.
const char *Thread = R"cpp(
namespace std { struct thread {
  template <class F> explicit thread(F f) { f(); }
  void join();
}; }
)cpp";

TEST(ChannelModel, SenderStart) {
  auto AST = parse(std::string(Thread) + R"cpp(
void f() {
  boost::fibers::buffered_channel<int> ch(2);
  std::thread t([&] { ch.push(1); });
  auto g = [&] { ch.push(2); };
  t.join();
}
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ChannelModel M = defaultModel();
  auto Ls = match(lambdaExpr().bind("l"), Ctx);
  ASSERT_EQ(Ls.size(), 2u);
  const Expr *Started = M.senderStart(Ls[0].getNodeAs<LambdaExpr>("l"), Ctx);
  ASSERT_TRUE(Started);
  EXPECT_TRUE(isa<CXXConstructExpr>(Started));
  EXPECT_EQ(M.senderStart(Ls[1].getNodeAs<LambdaExpr>("l"), Ctx), nullptr);
}

/// The findings of every form in \p Code, with the default model.
std::vector<ChannelFinding> findings(const std::string &Code,
                                     std::unique_ptr<ASTUnit> &AST) {
  AST = parse(std::string(Thread) + Code);
  if (!AST)
    return {};
  return findChannelsWithoutReader(AST->getASTContext(), defaultModel());
}

TEST(ChannelFacts, FanOutReadFewer) {
  std::unique_ptr<ASTUnit> AST;
  std::vector<ChannelFinding> Fs;
  Fs = findings(R"cpp(
int f() {
  boost::fibers::unbuffered_channel<int> ch;
  std::thread a([&] { ch.push(1); });
  std::thread b([&] { ch.push(2); });
  return ch.value_pop();
}
)cpp",
                AST);
  ASSERT_EQ(Fs.size(), 1u);
  EXPECT_EQ(Fs[0].Why, NoReader::ReadsFewer);
  EXPECT_EQ(Fs[0].Senders, 2u);
  EXPECT_EQ(Fs[0].Values, 2u);
  EXPECT_EQ(Fs[0].Received, 1u);
  EXPECT_EQ(Fs[0].Capacity, 0u);
  EXPECT_EQ(Fs[0].Fix, ChannelFix::CloseBeforeReturning);
  ASSERT_EQ(Fs[0].Notes.size(), 3u); // two starts, the return
  EXPECT_EQ(Fs[0].Notes[2].K, ChannelNote::ReturnsHere);
  EXPECT_EQ(Fs[0].Notes[2].Count, 1u);
  // Closed before returning: the blocked sender fails, no finding.
  Fs = findings(R"cpp(
int f() {
  boost::fibers::unbuffered_channel<int> ch;
  std::thread a([&] { ch.push(1); });
  std::thread b([&] { ch.push(2); });
  int v = ch.value_pop();
  ch.close();
  return v;
}
)cpp",
                AST);
  EXPECT_TRUE(Fs.empty());
}

TEST(ChannelFacts, EndlessProducerAndNeverRead) {
  std::unique_ptr<ASTUnit> AST;
  auto Fs = findings(R"cpp(
void f() {
  boost::fibers::buffered_channel<int> ch(4);
  std::thread p([&] { for (;;) ch.push(1); });
  int v = ch.value_pop();
  if (v == 0) return;
  ch.close();
}
)cpp",
                     AST);
  ASSERT_EQ(Fs.size(), 1u);
  EXPECT_EQ(Fs[0].Why, NoReader::ReaderStopsEarly);
  ASSERT_EQ(Fs[0].Notes.size(), 2u);
  EXPECT_EQ(Fs[0].Notes[0].K, ChannelNote::EndlessLoop);
  EXPECT_EQ(Fs[0].Notes[1].K, ChannelNote::ReaderStops);
  EXPECT_TRUE(isa_and_nonnull<ReturnStmt>(Fs[0].Notes[1].S));
  Fs = findings(R"cpp(
struct Log { boost::fibers::buffered_channel<int> q{8}; };
void g(Log &l) { std::thread t([&] { l.q.push(1); }); }
)cpp",
                AST);
  ASSERT_EQ(Fs.size(), 1u);
  EXPECT_EQ(Fs[0].Why, NoReader::NeverReceived);
  EXPECT_EQ(Fs[0].Outcome, UnreadOutcome::SendersBlock);
  EXPECT_EQ(Fs[0].Fix, ChannelFix::ReceiveOrStopSending);
}

/// Counts traffic in `f`: start(n) starts a sender of n values, recv1()
/// receives one, recvTry() may receive one, closeIt() closes.
CountResult count(const std::string &Body) {
  auto AST = parse(Body);
  CountResult Out;
  Out.GaveUp = true;
  if (!AST)
    return Out;
  ASTContext &Ctx = AST->getASTContext();
  auto Fns = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
  if (Fns.empty())
    return Out;
  const auto *F = Fns[0].getNodeAs<FunctionDecl>("f");
  return countChannelTraffic(F->getBody(), Ctx, [&](const Stmt *S) {
    ChannelEvent E;
    const auto *CE = dyn_cast<CallExpr>(S);
    const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier())
      return E;
    StringRef N = FD->getName();
    if (N == "start") {
      E.K = ChannelEvent::Start;
      Expr::EvalResult R;
      E.Count = CE->getArg(0)->EvaluateAsInt(R, Ctx)
                    ? R.Val.getInt().getZExtValue()
                    : 1;
    } else if (N == "recv1") {
      E.K = ChannelEvent::Receive;
    } else if (N == "recvTry") {
      E.K = ChannelEvent::TryReceive;
    } else if (N == "closeIt") {
      E.K = ChannelEvent::Close;
    } else if (N == "dieNow") {
      E.K = ChannelEvent::EndsProcess;
    }
    return E;
  });
}

TEST(ChannelCounting, StraightLine) {
  CountResult R = count("void f() { start(1); start(1); recv1(); }");
  ASSERT_FALSE(R.GaveUp);
  ASSERT_EQ(R.Exits.size(), 1u);
  EXPECT_EQ(R.Exits[0].Sent, 2u);
  EXPECT_EQ(R.Exits[0].Senders, 2u);
  EXPECT_EQ(R.Exits[0].Received, 1u);
  EXPECT_FALSE(R.Exits[0].Closed);
}

TEST(ChannelCounting, ConstantLoopsMultiply) {
  CountResult R = count("void f() {\n"
                        "  for (int i = 0; i < 3; ++i)\n"
                        "    for (int k = 0; k < 2; ++k) start(2);\n"
                        "  for (int i = 0; i < 4; ++i) recv1();\n"
                        "}");
  ASSERT_FALSE(R.GaveUp);
  ASSERT_EQ(R.Exits.size(), 1u);
  EXPECT_EQ(R.Exits[0].Sent, 12u);
  EXPECT_EQ(R.Exits[0].Senders, 6u);
  EXPECT_EQ(R.Exits[0].Received, 4u);
}

TEST(ChannelCounting, EarlyReturnHasFewerReceives) {
  CountResult R = count("int f() {\n"
                        "  start(1); start(1);\n"
                        "  recv1();\n"
                        "  if (cond()) return 1;\n"
                        "  recv1();\n"
                        "  return 0;\n"
                        "}");
  ASSERT_FALSE(R.GaveUp);
  ASSERT_EQ(R.Exits.size(), 2u);
  EXPECT_EQ(R.Exits[0].Received, 1u);
  EXPECT_EQ(R.Exits[1].Received, 2u);
}

TEST(ChannelCounting, ConditionalReceiveIsNotSure) {
  CountResult R =
      count("void f() { start(1); if (cond()) recv1(); recvTry(); }");
  ASSERT_FALSE(R.GaveUp);
  EXPECT_EQ(R.Exits[0].Received, 0u);
}

TEST(ChannelCounting, CloseOnEveryPath) {
  CountResult R =
      count("void f() { start(1); if (cond()) closeIt(); else closeIt(); }");
  ASSERT_FALSE(R.GaveUp);
  EXPECT_TRUE(R.Exits[0].Closed);
  R = count("void f() { start(1); if (cond()) closeIt(); }");
  ASSERT_FALSE(R.GaveUp);
  EXPECT_FALSE(R.Exits[0].Closed);
}

TEST(ChannelCounting, GivesUpOnWhatItCannotCount) {
  EXPECT_TRUE(count("void f() { if (cond()) start(1); recv1(); }").GaveUp);
  // Starts and receives in the same loop of run-time trip count; a start
  // under a `continue` in one.
  EXPECT_TRUE(
      count("void f(int n) { while (n--) { start(1); recv1(); } }").GaveUp);
  EXPECT_TRUE(count("void f(int n) { while (n--) { if (cond()) continue; "
                    "start(1); } }")
                  .GaveUp);
  EXPECT_TRUE(count("void f() { start(1); goto out; out: recv1(); }").GaveUp);
  EXPECT_TRUE(count("void f() { for (int i = 0; i < 3; ++i) { if (cond()) "
                    "break; start(1); } }")
                  .GaveUp);
}

TEST(ChannelCounting, RunTimeLoops) {
  // Senders once per iteration: listed, not counted.
  CountResult R = count("void f(int n) {\n"
                        "  start(1);\n"
                        "  for (int i = 0; i < n; ++i) start(1);\n"
                        "  recv1();\n"
                        "}");
  ASSERT_FALSE(R.GaveUp);
  ASSERT_EQ(R.Exits.size(), 1u);
  EXPECT_EQ(R.Exits[0].Sent, 1u);
  EXPECT_EQ(R.Exits[0].Received, 1u);
  ASSERT_EQ(R.Exits[0].PerIteration.size(), 1u);
  // (the AST is gone once count() returns: only the pointer is checked)
  EXPECT_NE(R.Exits[0].PerIteration[0].second, nullptr);
  EXPECT_FALSE(R.Exits[0].ReceivedRuntime);
  // Senders that send nothing are no senders.
  R = count("void f(int n) { while (n--) start(0); recv1(); }");
  ASSERT_FALSE(R.GaveUp);
  EXPECT_TRUE(R.Exits[0].PerIteration.empty());
  // Receives in a loop of run-time trip count: a return inside counts the
  // first iteration; after the loop the number is unknown.
  R = count("int f(int n) {\n"
            "  while (n--) start(1);\n"
            "  while (cond()) { recv1(); if (cond()) return 1; }\n"
            "  return 0;\n"
            "}");
  ASSERT_FALSE(R.GaveUp);
  ASSERT_EQ(R.Exits.size(), 2u);
  EXPECT_EQ(R.Exits[0].Received, 1u);
  EXPECT_FALSE(R.Exits[0].ReceivedRuntime);
  EXPECT_EQ(R.Exits[0].PerIteration.size(), 1u);
  EXPECT_TRUE(R.Exits[1].ReceivedRuntime);
  EXPECT_EQ(R.Exits[1].Received, 0u);
}

TEST(ChannelCounting, LoopsWithoutTrafficAreFine) {
  CountResult R =
      count("void f(int n) { start(1); while (n--) cond(); recv1(); }");
  ASSERT_FALSE(R.GaveUp);
  EXPECT_EQ(R.Exits[0].Received, 1u);
}

TEST(ChannelCounting, BudgetGivesUp) {
  std::string Body = "void f() {";
  for (int I = 0; I < 100; ++I)
    Body += " cond();";
  Body += " }";
  auto AST = parse(Body);
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  auto Fns = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
  ASSERT_FALSE(Fns.empty());
  CountResult R = countChannelTraffic(
      Fns[0].getNodeAs<FunctionDecl>("f")->getBody(), Ctx,
      [](const Stmt *) { return ChannelEvent(); }, /*MaxNodes=*/20);
  EXPECT_TRUE(R.GaveUp);
}

TEST(ChannelCounting, ThrowsAndProcessEnds) {
  // A throw outside any try is an exit; inside a try it is not.
  CountResult R = count("struct E {};\n"
                        "void f() { start(2); recv1();\n"
                        "  if (cond()) throw E();\n"
                        "  try { if (cond()) throw E(); } catch (...) {}\n"
                        "  recv1(); }");
  ASSERT_FALSE(R.GaveUp);
  ASSERT_EQ(R.Exits.size(), 2u);
  EXPECT_TRUE(R.Exits[0].Throws);
  EXPECT_NE(R.Exits[0].At, nullptr); // (the AST is gone: pointer only)
  EXPECT_EQ(R.Exits[0].Received, 1u);
  EXPECT_FALSE(R.Exits[1].Throws);
  EXPECT_EQ(R.Exits[1].Received, 2u);
  // A path through a call that never returns has no exit.
  R = count("int f() { start(2); if (cond()) { dieNow(); return 1; }\n"
            "  recv1(); recv1(); return 0; }");
  ASSERT_FALSE(R.GaveUp);
  ASSERT_EQ(R.Exits.size(), 1u);
  EXPECT_EQ(R.Exits[0].Received, 2u);
}

/// What the summaries of helpers say: receive N, drain, close, nothing, or
/// no definite answer.
TEST(ChannelProgram, HelperEffects) {
  auto AST = parse(std::string(Thread) + R"cpp(
using C = boost::fibers::unbuffered_channel<int>;
void two(C &c) { c.value_pop(); int v = c.value_pop(); }
void drain(C &c) { while (c.value_pop()) {} }
void shut(C &c) { c.close(); }
void look(C &c) { (void)&c; }
void some(C &c) { if (cond()) c.value_pop(); }
void sends(C &c) { c.push(1); }
void early(C &c) { if (cond()) return; c.value_pop(); }
void f() {
  C ch;
  two(ch); drain(ch); shut(ch); look(ch); some(ch); sends(ch); early(ch);
}
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  ChannelModel M = defaultModel();
  ChannelIndex I = indexChannels(Ctx, M);
  std::map<std::string, std::optional<HelperEffect>> E;
  for (auto &B :
       match(findAll(
                 callExpr(callee(functionDecl(hasParameter(0, parmVarDecl()))))
                     .bind("c")),
             Ctx)) {
    const auto *CE = B.getNodeAs<CallExpr>("c");
    const FunctionDecl *FD = CE->getDirectCallee();
    if (!FD || !FD->getIdentifier() || !FD->hasBody() ||
        FD->getNumParams() != 1)
      continue;
    const FunctionDecl *Def = FD->getDefinition();
    E[FD->getName().str()] = helperEffect(CE, Def->getParamDecl(0), I, Ctx);
  }
  ASSERT_TRUE(E["two"]);
  EXPECT_EQ(E["two"]->K, ChannelEvent::Receive);
  EXPECT_EQ(E["two"]->Count, 2u);
  ASSERT_TRUE(E["drain"]);
  EXPECT_EQ(E["drain"]->K, ChannelEvent::Drain);
  ASSERT_TRUE(E["shut"]);
  EXPECT_EQ(E["shut"]->K, ChannelEvent::Close);
  ASSERT_TRUE(E["look"]);
  EXPECT_EQ(E["look"]->K, ChannelEvent::None);
  EXPECT_FALSE(E["some"]);
  EXPECT_FALSE(E["sends"]);
  EXPECT_FALSE(E["early"]);
}

TEST(ChannelProgram, FactoriesAndProcessEnds) {
  auto AST = parse(R"cpp(
extern "C" [[noreturn]] void abort();
using Q = std::shared_ptr<boost::fibers::buffered_channel<int>>;
Q fresh() { return std::make_shared<boost::fibers::buffered_channel<int>>(4); }
Q viaLocal() { Q q = fresh(); return q; }
Q g;
Q other() { return g; }
void die() { abort(); }
void f() { Q a = fresh(); Q b = viaLocal(); Q c = other(); die(); cond(); }
)cpp");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  EXPECT_TRUE(createsChannel(var(Ctx, "a")->getInit(), Ctx));
  EXPECT_TRUE(createsChannel(var(Ctx, "b")->getInit(), Ctx));
  EXPECT_FALSE(createsChannel(var(Ctx, "c")->getInit(), Ctx));
  std::map<std::string, bool> Ends;
  for (auto &B : match(findAll(callExpr().bind("c")), Ctx)) {
    const auto *CE = B.getNodeAs<CallExpr>("c");
    if (const FunctionDecl *FD = CE->getDirectCallee())
      if (FD->getIdentifier())
        Ends[FD->getName().str()] = endsProcess(CE, Ctx);
  }
  EXPECT_TRUE(Ends["die"]);
  EXPECT_TRUE(Ends["abort"]);
  EXPECT_FALSE(Ends["cond"]);
  EXPECT_FALSE(Ends["fresh"]);
}

/// Throws are exits unless nothing can catch them; helpers count.
TEST(ChannelFacts, ProgramModelPaths) {
  std::unique_ptr<ASTUnit> AST;
  const std::string Throwing = R"cpp(
struct E {};
static int f(bool late) {
  boost::fibers::unbuffered_channel<int> ch;
  std::thread a([&] { ch.push(1); });
  if (late) throw E();
  return ch.value_pop();
}
)cpp";
  auto Fs = findings(
      Throwing +
          "int g() { try { return f(true); } catch (...) { return 0; } }",
      AST);
  ASSERT_EQ(Fs.size(), 1u);
  EXPECT_EQ(Fs[0].Fix, ChannelFix::CloseBeforeThrowing);
  EXPECT_EQ(Fs[0].Received, 0u);
  EXPECT_EQ(Fs[0].Notes.back().K, ChannelNote::ThrowsHere);
  // The same function called only by main(): the throw ends the process.
  Fs = findings(Throwing + "int main() { return f(true); }", AST);
  EXPECT_TRUE(Fs.empty());
  // A helper that receives one value counts as one receive.
  Fs = findings(R"cpp(
using C = boost::fibers::unbuffered_channel<int>;
int one(C &c) { return c.value_pop(); }
int f() {
  C ch;
  std::thread a([&] { ch.push(1); });
  std::thread b([&] { ch.push(2); });
  return one(ch);
}
)cpp",
                AST);
  ASSERT_EQ(Fs.size(), 1u);
  EXPECT_EQ(Fs[0].Why, NoReader::ReadsFewer);
  EXPECT_EQ(Fs[0].Received, 1u);
}

TEST(ChannelCounting, ReachesScopeEndWithoutClose) {
  auto AST = parse("void f() {\n"
                   "  boost::fibers::buffered_channel<int> ch(4);\n"
                   "  int v = ch.value_pop();\n"
                   "  if (cond()) return;\n"
                   "  ch.close();\n"
                   "}");
  ASSERT_TRUE(AST);
  ASTContext &Ctx = AST->getASTContext();
  auto Fns = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
  ASSERT_FALSE(Fns.empty());
  const auto *F = Fns[0].getNodeAs<FunctionDecl>("f");
  auto CFG = FunctionCFG::build(F, F->getBody(), Ctx);
  ASSERT_TRUE(CFG);
  auto Pops = match(
      findAll(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("value_pop"))))
                  .bind("c")),
      *F->getBody(), Ctx);
  ASSERT_FALSE(Pops.empty());
  const Stmt *Pop = Pops[0].getNodeAs<Stmt>("c");
  auto IsClose = [](const Stmt *S) {
    const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
    return MC && MC->getMethodDecl() &&
           MC->getMethodDecl()->getName() == "close";
  };
  const Stmt *Leave = nullptr;
  EXPECT_TRUE(reachesScopeEndWithout(*CFG, Pop, var(Ctx, "ch"), IsClose,
                                     nullptr, &Leave));
  ASSERT_TRUE(Leave);
  EXPECT_TRUE(isa<ReturnStmt>(Leave));
  // Once the early return closes too, every path closes.
  auto AST2 = parse("void f() {\n"
                    "  boost::fibers::buffered_channel<int> ch(4);\n"
                    "  int v = ch.value_pop();\n"
                    "  if (cond()) { ch.close(); return; }\n"
                    "  ch.close();\n"
                    "}");
  ASSERT_TRUE(AST2);
  ASTContext &Ctx2 = AST2->getASTContext();
  auto Fns2 = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx2);
  const auto *F2 = Fns2[0].getNodeAs<FunctionDecl>("f");
  auto CFG2 = FunctionCFG::build(F2, F2->getBody(), Ctx2);
  ASSERT_TRUE(CFG2);
  auto Pops2 = match(
      findAll(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("value_pop"))))
                  .bind("c")),
      *F2->getBody(), Ctx2);
  ASSERT_FALSE(Pops2.empty());
  EXPECT_FALSE(reachesScopeEndWithout(*CFG2, Pops2[0].getNodeAs<Stmt>("c"),
                                      var(Ctx2, "ch"), IsClose));
}

} // namespace
