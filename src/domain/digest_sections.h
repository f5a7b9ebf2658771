// The sections of a reminder digest as words, in the order they are written: the e-mail
// (domain/reminders.cc) and the notifications page (which reads the stored items by `name`)
// take them from the one table in reminders.cc. Pure data; thread-safe.
#pragma once

#include <span>

namespace rampart::domain {

struct DigestSectionWords {
  const char* name;       // "task", the stored item's "section"
  const char* heading;    // "Tasks due soon or overdue"
  const char* date_word;  // what an item's date is: "due", "review due", "asked on"
};

std::span<const DigestSectionWords> DigestSectionsInOrder();

}  // namespace rampart::domain
