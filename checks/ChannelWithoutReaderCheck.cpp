//===--- ChannelWithoutReaderCheck.cpp - leak-tidy ------------------------===//
#include "checks/ChannelWithoutReaderCheck.h"
#include "lib/channel/ChannelShape.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringSet.h"

using namespace clang::ast_matchers;
using clang::leaklib::ChannelFinding;
using clang::leaklib::ChannelFix;
using clang::leaklib::ChannelNote;
using clang::leaklib::NoReader;

namespace clang::tidy::leak {

/// A type name as the channel model compares them: no leading "::".
static StringRef bareName(StringRef Name) {
  Name = Name.trim();
  return Name.starts_with("::") ? Name.drop_front(2) : Name;
}

ChannelWithoutReaderCheck::ChannelWithoutReaderCheck(StringRef Name,
                                                     ClangTidyContext *Context)
    : LeakCheck(Name, Context) {
  using leaklib::joinList;
  const leaklib::ChannelConfig Def = leaklib::ChannelConfig::defaults();
  leaklib::ChannelConfig C;
  C.Types = nameListOption("ChannelTypes", joinList(Def.Types));
  C.Send = nameListOption("SendFunctions", joinList(Def.Send));
  C.TrySend = nameListOption("TrySendFunctions", joinList(Def.TrySend));
  C.Receive = nameListOption("ReceiveFunctions", joinList(Def.Receive));
  C.TryReceive =
      nameListOption("TryReceiveFunctions", joinList(Def.TryReceive));
  C.Close = nameListOption("CloseFunctions", joinList(Def.Close));
  C.Other = nameListOption("OtherFunctions", joinList(Def.Other));
  C.FutureWaits =
      listOption("FutureWaitFunctions", joinList(Def.FutureWaits),
                 [](StringRef E) -> std::string {
                   std::string Error = leaklib::validateQualifiedName(E);
                   if (Error.empty() && !E.contains("::"))
                     Error = "'" + E.str() + "' is not 'FutureType::member'";
                   return Error;
                 });
  C.StartFunctions =
      nameListOption("StartFunctions", joinList(Def.StartFunctions));
  C.ReportEscapingChannels =
      boolOption("ReportEscapingChannels", Def.ReportEscapingChannels);
  // "Type::method=role": the roles of an in-house type's methods where its
  // shape is not enough; the type becomes one of the ChannelTypes.
  for (const std::string &E :
       listOption("ChannelMethodRoles", "",
                  [](StringRef E) { return leaklib::validateMethodRole(E); }))
    leaklib::addMethodRole(C, E);
  // "Type=kind" entries for some of the ChannelTypes. The user's entries are
  // checked; a default entry for a type that the user's ChannelTypes leave
  // out is dropped silently.
  llvm::StringSet<> Types;
  for (const std::string &T : C.Types)
    Types.insert(bareName(T));
  auto CapacityError = [&Types](StringRef E) -> std::string {
    auto [Type, Kind] = E.split('=');
    if (!leaklib::parseCapacityKind(Kind))
      return "'" + E.str() +
             "' is not 'Type=kind' with kind one of unbounded, unbuffered, "
             "arg, arg-minus-one, promise";
    if (!Types.contains(bareName(Type)))
      return "'" + bareName(Type).str() + "' is not one of the ChannelTypes";
    return "";
  };
  C.CapacitySemantics = listOption(
      "CapacitySemantics", joinList(Def.CapacitySemantics), CapacityError);
  llvm::erase_if(C.CapacitySemantics, [&](const std::string &E) {
    return !CapacityError(E).empty();
  });
  std::vector<std::string> Errors;
  Model = std::make_unique<leaklib::ChannelModel>(C, &Errors);
  for (const std::string &E : Errors) // none: the entries are checked above
    configurationDiag("invalid entry in the options of '%0': %1; the entry "
                      "is ignored")
        << getID() << E;
}

void ChannelWithoutReaderCheck::registerMatchers(MatchFinder *Finder) {
  // One pass over the translation unit: form 3 needs every use of a channel
  // anywhere in it, forms 1 and 2 the uses inside one function.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void ChannelWithoutReaderCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Result.Nodes.getNodeAs<TranslationUnitDecl>("tu") ||
      Model->families().empty())
    return;
  const SourceManager &SM = Result.Context->getSourceManager();
  for (const ChannelFinding &Fd :
       leaklib::findChannelsWithoutReader(*Result.Context, *Model)) {
    reportMain(Fd);
    unsigned StartsShown = 0;
    for (const ChannelNote &N : Fd.Notes)
      if (N.K != ChannelNote::SendersStarted || StartsShown++ < 4)
        reportNote(Fd, N, SM);
    reportFix(Fd);
  }
}

void ChannelWithoutReaderCheck::reportMain(const ChannelFinding &Fd) {
  const ValueDecl *Ch = Fd.Channel;
  switch (Fd.Why) {
  case NoReader::ReadsFewer:
    if (Fd.PerIteration) {
      diag(Ch->getLocation(),
           "senders started once per %select{iteration of a loop|element of "
           "%1}0 send to channel %2 but only %3 %plural{1:value is|:values "
           "are}3 received before %select{returning|throwing}4 and it buffers "
           "%5: %plural{0:every sender blocks|:every sender past the first %6 "
           "blocks}6 forever")
          << (Fd.PerIterationOf != nullptr)
          << (Fd.PerIterationOf ? Fd.PerIterationOf : Ch) << Ch
          << static_cast<unsigned>(Fd.Received)
          << (Fd.Fix == ChannelFix::CloseBeforeThrowing)
          << static_cast<unsigned>(Fd.Capacity)
          << static_cast<unsigned>(Fd.Received + Fd.Capacity);
      return;
    }
    diag(Ch->getLocation(),
         "%0 %plural{1:sender sends|:senders send}0 %1 "
         "%plural{1:value|:values}1 to channel %2 but only %3 "
         "%plural{1:is|:are}3 received before %select{returning|throwing}7 "
         "and it buffers %4: %5 %select{sends never complete|%plural{1:sender "
         "blocks|:senders block}5 forever}6")
        << static_cast<unsigned>(Fd.Senders) << static_cast<unsigned>(Fd.Values)
        << Ch << static_cast<unsigned>(Fd.Received)
        << static_cast<unsigned>(Fd.Capacity)
        << static_cast<unsigned>(Fd.Values - Fd.Received - Fd.Capacity)
        << (Fd.Values == Fd.Senders)
        << (Fd.Fix == ChannelFix::CloseBeforeThrowing);
    return;
  case NoReader::ProducerUnstoppable:
    diag(Ch->getLocation(),
         "the producer sends to channel %0 forever and ignores the send "
         "status: no reader can stop it (it blocks when the reader stops "
         "and spins once the channel is closed)")
        << Ch;
    return;
  case NoReader::ReaderStopsEarly:
    diag(Ch->getLocation(),
         "the producer sends to channel %0 without end but the reader can "
         "stop early without closing it: the producer then blocks forever")
        << Ch;
    return;
  case NoReader::NeverReceived:
    // Across files the declaration may be in a header: warn at the send.
    diag(Fd.AcrossFiles && Fd.Send ? Fd.Send->getBeginLoc() : Ch->getLocation(),
         "%0 is sent to but never received from in %select{this translation "
         "unit|any file of the project}2: %select{once it is full every "
         "sender blocks forever|the values pile up until it is destroyed|the "
         "values it holds are never used}1")
        << Ch << static_cast<unsigned>(Fd.Outcome) << Fd.AcrossFiles;
    return;
  case NoReader::ConsumerStops:
    diag(Ch->getLocation(),
         "the consumer of channel %0 can stop reading without closing it: "
         "once it is full every producer blocks forever")
        << Ch;
    return;
  case NoReader::StageBlocks:
    diag(Ch->getLocation(),
         "the producer sends to channel %0 without end but its reader, a "
         "pipeline stage, blocks once its own reader stops: the producer "
         "then blocks forever")
        << Ch;
    return;
  case NoReader::PromiseNeverRead:
    diag(Ch->getLocation(),
         "the value set on promise %0 is never read: %select{its future is "
         "never obtained|its future is never waited on}1")
        << Ch << Fd.FutureObtained;
    return;
  }
}

void ChannelWithoutReaderCheck::reportNote(const ChannelFinding &Fd,
                                           const ChannelNote &N,
                                           const SourceManager &SM) {
  // Macros: every note at the expansion in user code.
  SourceLocation Loc = SM.getExpansionLoc(
      N.S ? N.S->getBeginLoc() : (N.D ? N.D->getLocation() : N.Loc));
  if (Loc.isInvalid() && N.K == ChannelNote::SentElsewhere && Fd.Send)
    Loc = SM.getExpansionLoc(Fd.Send->getBeginLoc()); // names the file
  if (Loc.isInvalid())
    return;
  auto Note = [&](StringRef Text) {
    return diag(Loc, Text, DiagnosticIDs::Note);
  };
  switch (N.K) {
  case ChannelNote::SendersStarted:
    Note("%0 %plural{1:sender|:senders}0 started here")
        << static_cast<unsigned>(N.Count);
    return;
  case ChannelNote::SendersPerIteration:
    Note("senders started here, once per %select{iteration of this loop|"
         "element of %1|iteration up to %1}0")
        << static_cast<unsigned>(N.D ? N.Count : 0)
        << (N.D ? cast<NamedDecl>(N.D) : Fd.Channel);
    return;
  case ChannelNote::FunctionEnds:
  case ChannelNote::ReturnsHere:
  case ChannelNote::ThrowsHere:
    Note("%select{the function ends|returns|throws}0 here after receiving %1 "
         "%plural{1:value|:values}1")
        << (N.K == ChannelNote::FunctionEnds  ? 0u
            : N.K == ChannelNote::ReturnsHere ? 1u
                                              : 2u)
        << static_cast<unsigned>(N.Count);
    return;
  case ChannelNote::EndlessLoop:
    if (isa_and_nonnull<CallExpr>(N.S)) // a callback handed to a call
      Note("the producer sends in a callback that this call runs once per "
           "input; nothing in it can stop");
    else
      Note("the producer's loop has no stop condition");
    return;
  case ChannelNote::ReaderStops:
    Note("the reader can stop here and %0 is not closed afterwards")
        << Fd.Channel;
    return;
  case ChannelNote::ReturnedToReader:
    Note("%0 is returned to a reader here") << Fd.Channel;
    return;
  case ChannelNote::SentHere:
    Note("sent here");
    return;
  case ChannelNote::ValueSetHere:
    Note("the value is set here");
    return;
  case ChannelNote::FutureObtained:
    Note("the future is obtained here");
    return;
  case ChannelNote::ConsumerStopsHere:
    Note("the consumer stops reading here");
    return;
  case ChannelNote::ProducerSends:
    Note("a producer sends here and blocks once %0 is full") << Fd.Channel;
    return;
  case ChannelNote::StageBlocksHere:
    Note("the stage reading %0 blocks here sending to %1, whose reader "
         "stops early")
        << Fd.Channel << cast<NamedDecl>(N.D);
    return;
  case ChannelNote::NeverClosed:
    Note("%0 is never closed in this translation unit") << Fd.Channel;
    return;
  case ChannelNote::NoReaderInProject:
    Note("%0 is shared with other files and none of them receives from it "
         "(project facts)")
        << Fd.Channel;
    return;
  case ChannelNote::SentElsewhere:
    if (N.Where.empty())
      Note("also sent to here, in another file");
    else
      Note("also sent to in another file, at %0") << N.Where;
    return;
  }
}

void ChannelWithoutReaderCheck::reportFix(const ChannelFinding &Fd) {
  const ValueDecl *Ch = Fd.Channel;
  auto Note = [&](StringRef Text) {
    return diag(Ch->getLocation(), Text, DiagnosticIDs::Note);
  };
  switch (Fd.Fix) {
  case ChannelFix::CloseBeforeReturning:
  case ChannelFix::CloseBeforeThrowing:
    Note("close %0 before %select{returning|throwing}1 so that the blocked "
         "senders fail instead of waiting, or let it buffer all %2 values")
        << Ch << (Fd.Fix == ChannelFix::CloseBeforeThrowing)
        << static_cast<unsigned>(Fd.Values);
    return;
  case ChannelFix::CloseOrBufferPerSender:
    Note("close %0 before returning so that the blocked senders fail "
         "instead of waiting, or give it a buffer as large as the number of "
         "senders")
        << Ch;
    return;
  case ChannelFix::CloseOnThatPath:
    Note("close %0 on that path so that the producer's send fails, or let "
         "the producer's loop check a stop flag")
        << Ch;
    return;
  case ChannelFix::StopOnClosedStatus:
    Note("let the producer return when its send reports that %0 is "
         "closed, or check a stop token")
        << Ch;
    return;
  case ChannelFix::ReceiveOrStopSending:
    Note("receive from %0 or stop sending to it") << Ch;
    return;
  case ChannelFix::CloseWhenConsumerStops:
    Note("close %0 when the consumer stops (before joining it) so that the "
         "producers' sends fail instead of waiting")
        << Ch;
    return;
  case ChannelFix::CloseUpstream:
    Note("when the last reader leaves, close %0 too (or let the stage close "
         "it when its send fails)")
        << Ch;
    return;
  case ChannelFix::WaitOnFuture:
    Note("wait on the future (get, wait) or drop the promise");
    return;
  }
}

} // namespace clang::tidy::leak
