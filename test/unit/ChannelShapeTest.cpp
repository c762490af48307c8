//===--- ChannelShapeTest.cpp - leak-tidy unit tests ----------------------===//
//
// In-house channels recognised by their shape, and the ChannelMethodRoles
// option's entries.
//
//===----------------------------------------------------------------------===//
#include "lib/channel/ChannelShape.h"
#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::leaklib;

namespace {

// Stand-ins with the real names (the shape is read by name).
const char *Prelude = R"cpp(
namespace std {
struct mutex {};
template <class M> struct unique_lock { unique_lock(M &); };
struct condition_variable {
  template <class L, class P> void wait(L &, P);
  template <class L> void wait(L &);
  void notify_one();
  void notify_all();
};
template <class T> struct deque {
  unsigned long size() const;
  bool empty() const;
  void push_back(T);
  void pop_front();
  T &front();
};
}
)cpp";

std::vector<ShapeChannel> shapes(const std::string &Code) {
  std::unique_ptr<ASTUnit> AST = tooling::buildASTFromCodeWithArgs(
      std::string(Prelude) + Code, {"-std=c++17"}, "input.cpp");
  return findShapeChannels(AST->getASTContext());
}

ChannelOp roleOf(const ShapeChannel &S, llvm::StringRef Member) {
  for (const auto &[M, Op] : S.Members)
    if (M == Member)
      return Op;
  return ChannelOp::None;
}

const char *Bounded = R"cpp(
namespace acme {
template <class T> class Q {
public:
  void put(T v) {
    std::unique_lock<std::mutex> lk(m_);
    full_.wait(lk, [&] { return closed_ || q_.size() < cap_; });
    q_.push_back(v);
  }
  void offer(T v) { q_.push_back(v); }
  T take() {
    std::unique_lock<std::mutex> lk(m_);
    empty_.wait(lk, [&] { return !q_.empty(); });
    T v = q_.front();
    q_.pop_front();
    full_.notify_one();
    return v;
  }
  void close() { closed_ = true; full_.notify_all(); }
  unsigned long size() const { return q_.size(); }
private:
  unsigned long cap_ = 4;
  bool closed_ = false;
  std::deque<T> q_;
  std::mutex m_;
  std::condition_variable full_, empty_;
};
}
)cpp";

TEST(ChannelShape, BoundedQueueRoles) {
  std::vector<ShapeChannel> S = shapes(Bounded);
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].TypeName, "acme::Q");
  EXPECT_EQ(roleOf(S[0], "put"), ChannelOp::Send);
  EXPECT_EQ(roleOf(S[0], "offer"), ChannelOp::TrySend);
  EXPECT_EQ(roleOf(S[0], "take"), ChannelOp::Receive);
  EXPECT_EQ(roleOf(S[0], "close"), ChannelOp::Close);
  EXPECT_EQ(roleOf(S[0], "size"), ChannelOp::None);
}

TEST(ChannelShape, NotAChannel) {
  // A push that never waits: an unbounded queue.
  EXPECT_TRUE(shapes(R"cpp(
class U {
public:
  void put(int v) { q_.push_back(v); cv_.notify_one(); }
  int take() {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [&] { return !q_.empty(); });
    int v = q_.front();
    q_.pop_front();
    return v;
  }
private:
  std::deque<int> q_;
  std::mutex m_;
  std::condition_variable cv_;
};
)cpp")
                  .empty());
  // The waiting push, but a method whose body is not here.
  EXPECT_TRUE(shapes(R"cpp(
class B {
public:
  void put(int v) {
    std::unique_lock<std::mutex> lk(m_);
    cv_.wait(lk, [&] { return q_.size() < 8; });
    q_.push_back(v);
  }
  int take();
private:
  std::deque<int> q_;
  std::mutex m_;
  std::condition_variable cv_;
};
)cpp")
                  .empty());
}

TEST(ChannelShape, ConfiguredRolesWin) {
  std::vector<ShapeChannel> S = shapes(Bounded);
  ChannelConfig C;
  C.Types = {"acme::Q"};
  C.Close = {"acme::Q::offer"};
  ChannelConfig Out = withShapeChannels(C, S);
  EXPECT_EQ(Out.Types.size(), 1u); // already a channel type
  EXPECT_TRUE(Out.CapacitySemantics.empty());
  EXPECT_EQ(Out.TrySend.size(), 0u); // offer: the option's close
  EXPECT_EQ(Out.Send, std::vector<std::string>{"acme::Q::put"});
  ChannelConfig Fresh = withShapeChannels(ChannelConfig{}, S);
  EXPECT_EQ(Fresh.Types, std::vector<std::string>{"acme::Q"});
  EXPECT_EQ(Fresh.CapacitySemantics, std::vector<std::string>{"acme::Q=arg"});
}

TEST(ChannelShape, MethodRoleEntries) {
  EXPECT_EQ(validateMethodRole("acme::Q::put=send"), "");
  EXPECT_EQ(validateMethodRole("::acme::Q::poll = try-receive"), "");
  EXPECT_NE(validateMethodRole("acme::Q::put=sendd"), "");
  EXPECT_NE(validateMethodRole("acme::Q::put"), "");
  EXPECT_NE(validateMethodRole("put=send"), "");
  EXPECT_NE(validateMethodRole("acme::1Q::put=send"), "");
  ChannelConfig C;
  addMethodRole(C, "acme::Q::put=send");
  addMethodRole(C, "::acme::Q::stop=close");
  EXPECT_EQ(C.Types, std::vector<std::string>{"acme::Q"});
  EXPECT_EQ(C.Send, std::vector<std::string>{"acme::Q::put"});
  EXPECT_EQ(C.Close, std::vector<std::string>{"acme::Q::stop"});
}

} // namespace
