# Reading config/bescheid.properties and writing the installed copy of it.
# Included by cmake/Install.cmake at configure time (to learn which files the
# configuration names, so exactly those are installed) and by the install
# step (to write /etc/bescheid/bescheid.properties for the prefix actually
# installed to). The source file stays the one place for every value: the
# installed copy is the same text with only the path keys rewritten.

# bescheid_source_relative(FILE VALUE OUT_VAR): a relative path VALUE from the
# configuration FILE (which bescheid resolves against FILE's folder) as a
# path relative to the project's root (FILE's folder's parent); absolute and
# empty values unchanged.
function(bescheid_source_relative file value out_var)
  if(value STREQUAL "" OR IS_ABSOLUTE "${value}")
    set(${out_var} "${value}" PARENT_SCOPE)
    return()
  endif()
  get_filename_component(config_dir "${file}" DIRECTORY)
  get_filename_component(project_dir "${config_dir}" DIRECTORY)
  get_filename_component(abs "${value}" ABSOLUTE BASE_DIR "${config_dir}")
  file(RELATIVE_PATH rel "${project_dir}" "${abs}")
  set(${out_var} "${rel}" PARENT_SCOPE)
endfunction()

# bescheid_read_property(FILE KEY OUT_VAR): the value of KEY in the Poco
# properties FILE ("key = value" or "key: value", last one wins, surrounding
# blanks trimmed). Fails when the key is missing, so that a key renamed in the
# source configuration cannot silently leave a stale path in the package.
function(bescheid_read_property file key out_var)
  file(READ "${file}" text)
  string(REPLACE "." "\\." key_re "${key}")
  # Every "key = value" line of KEY; a CMake list would mangle ';' and '['
  # elsewhere in the file, so match in the whole text.
  string(REGEX MATCHALL "(^|\n)[ \t]*${key_re}[ \t]*[=:][^\n]*" matches
         "${text}")
  if(NOT matches)
    message(FATAL_ERROR "${file}: key '${key}' not found; the package "
            "installs the files it names (cmake/InstalledConfig.cmake)")
  endif()
  list(GET matches -1 last)
  string(REGEX REPLACE "^\n?[ \t]*${key_re}[ \t]*[=:]" "" value "${last}")
  string(STRIP "${value}" value)
  # Path values relative to the configuration file: relative to the project.
  bescheid_source_relative("${file}" "${value}" value)
  set(${out_var} "${value}" PARENT_SCOPE)
endfunction()

# The path keys and where their files live once installed. A relative source
# value is a path inside the source tree; installed, it becomes
#   reference.gemeinden   SYSCONFDIR/reference/<file name>
#   letters.templates     DATADIR/<same relative path>
#   letters.font.*        DATADIR/<same relative path>
#   forms.layout          DATADIR/<same relative path>
#   store.path            STATEDIR/<file name>
#   watch.root            WATCH_ROOT
#   log.file              empty (standard output, i.e. journald)
# Absolute source values (e.g. letters.icc-profile) are left as they are.
set(BESCHEID_CONFIG_PATH_KEYS
    reference.gemeinden letters.templates letters.font.regular
    letters.font.bold forms.layout store.path watch.root log.file)

# bescheid_installed_path(KEY VALUE OUT_VAR SYSCONFDIR DATADIR STATEDIR
# WATCH_ROOT): the installed value of one path key (see above).
function(bescheid_installed_path key value out_var sysconfdir datadir statedir
         watch_root)
  get_filename_component(name "${value}" NAME)
  if(key STREQUAL "log.file")
    set(result "")
  elseif(key STREQUAL "watch.root")
    set(result "${watch_root}")
  elseif(IS_ABSOLUTE "${value}")
    set(result "${value}")
  elseif(key STREQUAL "reference.gemeinden")
    set(result "${sysconfdir}/reference/${name}")
  elseif(key STREQUAL "store.path")
    set(result "${statedir}/${name}")
  else()
    set(result "${datadir}/${value}")
  endif()
  set(${out_var} "${result}" PARENT_SCOPE)
endfunction()

# bescheid_write_installed_config(SOURCE OUTPUT SYSCONFDIR DATADIR STATEDIR
# WATCH_ROOT): writes OUTPUT as SOURCE with every path key's line replaced by
# "key = <installed value>" and release.mode set to manual; comments, order
# and all other values unchanged.
function(bescheid_write_installed_config source output sysconfdir datadir
         statedir watch_root)
  file(READ "${source}" text)
  string(CONCAT out
    "# Installed configuration of bescheid, generated from the project's\n"
    "# config/bescheid.properties with absolute paths for the Debian\n"
    "# layout. Edit the authority's values here. Keys given again in a\n"
    "# --config file or with --define override these.\n\n")
  set(rewritten "")
  # Line by line without CMake lists, so that ';' or '[' in a value survive.
  while(NOT text STREQUAL "")
    string(FIND "${text}" "\n" eol)
    if(eol EQUAL -1)
      set(line "${text}")
      set(text "")
    else()
      string(SUBSTRING "${text}" 0 ${eol} line)
      math(EXPR next "${eol} + 1")
      string(SUBSTRING "${text}" ${next} -1 text)
    endif()
    # A production service releases letters with four eyes (docs/release.md).
    if(line MATCHES "^[ \t]*release\\.mode[ \t]*[=:]")
      set(line "release.mode = manual")
    endif()
    foreach(key IN LISTS BESCHEID_CONFIG_PATH_KEYS)
      string(REPLACE "." "\\." key_re "${key}")
      if(line MATCHES "^[ \t]*${key_re}[ \t]*[=:][ \t]*(.*)$")
        string(STRIP "${CMAKE_MATCH_1}" value)
        bescheid_source_relative("${source}" "${value}" value)
        bescheid_installed_path("${key}" "${value}" value "${sysconfdir}"
                                "${datadir}" "${statedir}" "${watch_root}")
        set(line "${key} = ${value}")
        string(STRIP "${line}" line)
        list(APPEND rewritten "${key}")
        break()
      endif()
    endforeach()
    string(APPEND out "${line}\n")
  endwhile()
  # (list(FIND), not IN_LIST: the install step runs without the project's
  # policy settings.)
  foreach(key IN LISTS BESCHEID_CONFIG_PATH_KEYS)
    list(FIND rewritten "${key}" index)
    if(index EQUAL -1)
      message(FATAL_ERROR "${source}: path key '${key}' not found")
    endif()
  endforeach()
  file(WRITE "${output}" "${out}")
endfunction()

# bescheid_write_installed_unit(SOURCE OUTPUT BINDIR): the systemd unit with
# ExecStart's program path set to BINDIR/bescheid (a no-op for /usr/bin, the
# path config/bescheid.service names).
function(bescheid_write_installed_unit source output bindir)
  file(READ "${source}" text)
  string(REGEX REPLACE "\nExecStart=[^ \n]*/bescheid " "\nExecStart=${bindir}/bescheid "
         text "${text}")
  if(NOT text MATCHES "\nExecStart=${bindir}/bescheid ")
    message(FATAL_ERROR "${source}: no 'ExecStart=.../bescheid ' line")
  endif()
  file(WRITE "${output}" "${text}")
endfunction()
