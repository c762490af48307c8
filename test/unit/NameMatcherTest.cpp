#include "lib/core/NameMatcher.h"
#include "gtest/gtest.h"

using namespace clang::leaklib;

TEST(NameMatcher, SplitsAndTrims) {
  auto Items = splitList(" std::thread ; ;::boost::thread;");
  ASSERT_EQ(Items.size(), 2u);
  EXPECT_EQ(Items[0], "std::thread");
  EXPECT_EQ(Items[1], "::boost::thread");
  EXPECT_EQ(joinList(Items), "std::thread;::boost::thread");
}

TEST(NameMatcher, Validates) {
  EXPECT_EQ(validateQualifiedName("std::thread"), "");
  EXPECT_EQ(validateQualifiedName("::my_ns::Timer2"), "");
  EXPECT_NE(validateQualifiedName("std::"), "");
  EXPECT_NE(validateQualifiedName("std thread"), "");
  EXPECT_NE(validateQualifiedName("1abc"), "");
  EXPECT_NE(validateQualifiedName(""), "");
}

TEST(NameMatcher, MatchesNamesWithOrWithoutGlobalPrefix) {
  NameMatcher M({"::std::thread", "pthread_create"});
  EXPECT_TRUE(M.matchesName("std::thread"));
  EXPECT_TRUE(M.matchesName("::pthread_create"));
  EXPECT_FALSE(M.matchesName("std::jthread"));
  EXPECT_TRUE(M.mayMatchIdentifier("thread"));
  EXPECT_FALSE(M.mayMatchIdentifier("jthread"));
}
