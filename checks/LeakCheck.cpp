//===--- LeakCheck.cpp - leak-tidy ---------------------------------------===//
#include "checks/LeakCheck.h"

namespace clang::tidy::leak {

void LeakCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (const Stored &S : StoredOptions)
    Options.store(Opts, S.Name, S.Value);
}

std::vector<std::string>
LeakCheck::listOption(StringRef Name, StringRef Default, bool Qualified) {
  std::vector<std::string> Items;
  for (std::string &Item : entryListOption(Name, Default)) {
    std::string Error;
    if (Qualified) {
      Error = leaklib::validateQualifiedName(Item);
    } else {
      bool Ok =
          !Item.empty() &&
          (isalpha(static_cast<unsigned char>(Item[0])) || Item[0] == '_');
      for (char C : Item)
        Ok = Ok && (isalnum(static_cast<unsigned char>(C)) || C == '_');
      if (!Ok)
        Error = "'" + Item + "' is not an identifier";
    }
    if (!Error.empty()) {
      configurationDiag(
          "invalid value in option '%0%1': %2; the entry is ignored")
          << getID() << ("." + Name).str() << Error;
      continue;
    }
    Items.push_back(std::move(Item));
  }
  return Items;
}

std::vector<std::string> LeakCheck::entryListOption(StringRef Name,
                                                    StringRef Default) {
  std::string Raw = Options.get(Name, Default).str();
  StoredOptions.push_back({Name.str(), Raw});
  StringRef Value = Raw;
  std::vector<std::string> Items;
  if (Value.trim().starts_with("+")) {
    Items = leaklib::splitList(Default);
    Value = Value.trim().drop_front();
  }
  for (std::string &Item : leaklib::splitList(Value))
    Items.push_back(std::move(Item));
  return Items;
}

std::vector<std::string> LeakCheck::nameListOption(StringRef Name,
                                                   StringRef Default) {
  return listOption(Name, Default, /*Qualified=*/true);
}

std::vector<std::string> LeakCheck::identifierListOption(StringRef Name,
                                                         StringRef Default) {
  return listOption(Name, Default, /*Qualified=*/false);
}

unsigned LeakCheck::unsignedOption(StringRef Name, unsigned Default,
                                   unsigned Min, unsigned Max) {
  std::string Raw = Options.get(Name, std::to_string(Default)).str();
  unsigned long long Value = 0;
  unsigned Result = Default;
  if (StringRef(Raw).trim().getAsInteger(10, Value)) {
    configurationDiag("invalid value '%0' for option '%1%2': expected a "
                      "whole number from %3 to %4; using %5")
        << Raw << getID() << ("." + Name).str() << Min << Max << Default;
  } else if (Value < Min || Value > Max) {
    configurationDiag("value %0 for option '%1%2' is out of range: expected "
                      "%3 to %4; using %5")
        << Raw << getID() << ("." + Name).str() << Min << Max << Default;
  } else {
    Result = static_cast<unsigned>(Value);
  }
  StoredOptions.push_back({Name.str(), std::to_string(Result)});
  return Result;
}

bool LeakCheck::boolOption(StringRef Name, bool Default) {
  std::string Raw = Options.get(Name, Default ? "true" : "false").str();
  std::string Lower = StringRef(Raw).trim().lower();
  bool Result = Default;
  if (Lower == "true" || Lower == "1" || Lower == "on" || Lower == "yes")
    Result = true;
  else if (Lower == "false" || Lower == "0" || Lower == "off" || Lower == "no")
    Result = false;
  else
    configurationDiag("invalid value '%0' for option '%1%2': expected true or "
                      "false; using %3")
        << Raw << getID() << ("." + Name).str() << (Default ? "true" : "false");
  StoredOptions.push_back({Name.str(), Result ? "true" : "false"});
  return Result;
}

} // namespace clang::tidy::leak
