# The word tables of short-text detection (detection/word_tables.hpp), built
# at build time from Debian's word lists (wamerican, wfrench, ...), hunspell
# dictionaries expanded to word forms by unmunch (hunspell-tools), and
# Parley's chat words (detection/chat_words/), then compiled into
# parley_models. tools/setup installs the packages.

set(PARLEY_DICT /usr/share/dict)
set(PARLEY_HUNSPELL /usr/share/hunspell)
set(PARLEY_WORD_LISTS ${CMAKE_CURRENT_BINARY_DIR}/word_lists)
file(MAKE_DIRECTORY ${PARLEY_WORD_LISTS})

function(parley_require_word_list path package)
  if(NOT EXISTS ${path})
    message(FATAL_ERROR "${path} is missing: install the Debian package "
                        "${package} (tools/setup --no-build installs them all)")
  endif()
endfunction()

# code: the plain word lists of /usr/share/dict, with their packages.
set(PARLEY_PLAIN_LISTS
    "en:american-english:wamerican"
    "en:british-english:wbritish"
    "fr:french:wfrench"
    "es:spanish:wspanish"
    "it:italian:witalian"
    "de:ngerman:wngerman"
    "pt:portuguese:wportuguese"
    "pt:brazilian:wbrazilian"
    "ca:catalan:wcatalan"
    "nl:dutch:wdutch"
    "pl:polish:wpolish")
# code: hunspell dictionaries expanded by unmunch, with their packages.
set(PARLEY_UNMUNCHED "ru:ru_RU:hunspell-ru" "uk:uk_UA:hunspell-uk"
                     "id:id_ID:hunspell-id" "ro:ro_RO:hunspell-ro")
# code: hunspell stems read as they are: unmunch cannot expand Turkish's
# numeric flags, a Vietnamese entry is already a syllable, and Galician's and
# Basque's affix rules expand to billions of forms.
set(PARLEY_STEMS "tr:tr_TR:hunspell-tr" "vi:vi_VN:hunspell-vi"
                 "gl:gl_ES:hunspell-gl" "eu:eu:hunspell-eu")

set(PARLEY_WORD_TABLE_LANGUAGES en fr es it de pt ca nl pl ru uk id tr vi ro
                                gl eu)
set(PARLEY_WORD_TABLE_INPUTS)
foreach(code ${PARLEY_WORD_TABLE_LANGUAGES})
  set(PARLEY_WORDS_${code})
endforeach()

foreach(entry ${PARLEY_PLAIN_LISTS})
  string(REPLACE ":" ";" parts ${entry})
  list(GET parts 0 code)
  list(GET parts 1 file)
  list(GET parts 2 package)
  parley_require_word_list(${PARLEY_DICT}/${file} ${package})
  list(APPEND PARLEY_WORDS_${code} dict=${PARLEY_DICT}/${file})
  list(APPEND PARLEY_WORD_TABLE_INPUTS ${PARLEY_DICT}/${file})
endforeach()

find_program(PARLEY_UNMUNCH unmunch REQUIRED)
foreach(entry ${PARLEY_UNMUNCHED})
  string(REPLACE ":" ";" parts ${entry})
  list(GET parts 0 code)
  list(GET parts 1 name)
  list(GET parts 2 package)
  parley_require_word_list(${PARLEY_HUNSPELL}/${name}.dic ${package})
  set(forms ${PARLEY_WORD_LISTS}/${code}.txt)
  add_custom_command(
    OUTPUT ${forms}
    COMMAND sh -c "'${PARLEY_UNMUNCH}' '${PARLEY_HUNSPELL}/${name}.dic' '${PARLEY_HUNSPELL}/${name}.aff' > '${forms}' 2>/dev/null"
    DEPENDS ${PARLEY_HUNSPELL}/${name}.dic ${PARLEY_HUNSPELL}/${name}.aff
    COMMENT "Expanding the ${name} hunspell dictionary into word forms"
    VERBATIM)
  list(APPEND PARLEY_WORDS_${code} dict=${forms})
  list(APPEND PARLEY_WORD_TABLE_INPUTS ${forms})
endforeach()

foreach(entry ${PARLEY_STEMS})
  string(REPLACE ":" ";" parts ${entry})
  list(GET parts 0 code)
  list(GET parts 1 name)
  list(GET parts 2 package)
  parley_require_word_list(${PARLEY_HUNSPELL}/${name}.dic ${package})
  list(APPEND PARLEY_WORDS_${code} dict=${PARLEY_HUNSPELL}/${name}.dic)
  list(APPEND PARLEY_WORD_TABLE_INPUTS ${PARLEY_HUNSPELL}/${name}.dic)
endforeach()

set(PARLEY_WORD_TABLE_ARGUMENTS)
foreach(code ${PARLEY_WORD_TABLE_LANGUAGES})
  set(chat ${CMAKE_CURRENT_SOURCE_DIR}/detection/chat_words/${code}.txt)
  list(APPEND PARLEY_WORD_TABLE_ARGUMENTS code=${code} ${PARLEY_WORDS_${code}}
       chat=${chat})
  list(APPEND PARLEY_WORD_TABLE_INPUTS ${chat})
endforeach()

add_executable(parley_build_word_tables
               detection/table_builder/build_word_tables.cpp
               detection/word_folding.cpp text/utf8.cpp)
target_include_directories(parley_build_word_tables PRIVATE ${PROJECT_SOURCE_DIR})
set_target_properties(parley_build_word_tables PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

set(PARLEY_WORD_TABLES ${CMAKE_CURRENT_BINARY_DIR}/word_tables)
add_custom_command(
  OUTPUT ${PARLEY_WORD_TABLES}.bin ${PARLEY_WORD_TABLES}.cpp
  COMMAND parley_build_word_tables ${PARLEY_WORD_TABLES}
          ${PARLEY_WORD_TABLE_ARGUMENTS}
  DEPENDS parley_build_word_tables ${PARLEY_WORD_TABLE_INPUTS}
  COMMENT "Building the word tables of short-text detection"
  VERBATIM)
