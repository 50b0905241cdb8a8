# Installation in Debian's layout and the .deb package (CPack).
#
#   /usr/bin/bescheid                          the program
#   /etc/bescheid/bescheid.properties          configuration (conffile),
#                                              absolute paths to the below
#   /etc/bescheid/reference/gemeinden.csv      reference table (conffile)
#   /usr/share/bescheid/templates/letters/     letter templates
#   /usr/share/bescheid/templates/forms/       the paper form's layout
#   /usr/share/bescheid/schemas/*.xsd          submission and decision schemas
#   /usr/share/bescheid/fonts/                 the letters' fonts and licence
#   /var/lib/bescheid/                         state: the journal (store.path)
#   /lib/systemd/system/bescheid.service       the systemd unit
#   /usr/share/man/man1/bescheid.1.gz          manual page
#   /usr/share/bash-completion/completions/bescheid
#   /usr/share/doc/bescheid/                   README, SECURITY, copyright
#
# /usr paths follow CMAKE_INSTALL_PREFIX (GNUInstallDirs); /etc, /var/lib and
# /lib/systemd are absolute, as in every Debian package. The watch root
# (/srv/bescheid/watch-dirs) is created by the package's postinst, never
# shipped: Debian packages put nothing into /srv.
#
#   cmake --install build --prefix /usr      (as root, or with DESTDIR=...)
#   scripts/make-deb.sh OUTDIR               bescheid_<version>_<arch>.deb
#
# The installed configuration and unit are written by the install step itself
# (not at configure time), so that `cmake --install --prefix P` and CPack
# (prefix /usr) always get paths that match where the files went.

include(GNUInstallDirs)
include(${CMAKE_CURRENT_LIST_DIR}/InstalledConfig.cmake)

set(BESCHEID_INSTALL_SYSCONFDIR /etc/bescheid)
set(BESCHEID_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/bescheid)  # below prefix
set(BESCHEID_INSTALL_STATEDIR /var/lib/bescheid)
set(BESCHEID_INSTALL_UNITDIR /lib/systemd/system)
set(BESCHEID_WATCH_ROOT /srv/bescheid/watch-dirs)
set(BESCHEID_SOURCE_CONFIG ${PROJECT_SOURCE_DIR}/config/bescheid.properties)
set(BESCHEID_PACKAGING_DIR ${PROJECT_BINARY_DIR}/packaging)

# A change of the source configuration re-runs this (the files it names are
# the files installed).
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${BESCHEID_SOURCE_CONFIG})

# Files below /etc/bescheid, each a conffile of the package (dpkg keeps an
# administrator's changes on upgrade). Add further configuration files, e.g.
# the users file, with bescheid_install_conffile so they are marked too.
set(BESCHEID_CONFFILES "")
# bescheid_install_conffile(FILE SUBDIR [RENAME NAME] [PERMISSIONS ...]):
# installs FILE to /etc/bescheid/SUBDIR ("." for /etc/bescheid itself) and
# marks it. A file with secrets (the users file) takes e.g. PERMISSIONS
# OWNER_READ OWNER_WRITE GROUP_READ, plus a chgrp bescheid in postinst.
macro(bescheid_install_conffile file subdir)
  cmake_parse_arguments(_cf "" "RENAME" "PERMISSIONS" ${ARGN})
  if(_cf_RENAME)
    set(_cf_name ${_cf_RENAME})
  else()
    get_filename_component(_cf_name "${file}" NAME)
  endif()
  if("${subdir}" STREQUAL ".")
    set(_cf_dest ${BESCHEID_INSTALL_SYSCONFDIR})
  else()
    set(_cf_dest ${BESCHEID_INSTALL_SYSCONFDIR}/${subdir})
  endif()
  if(_cf_PERMISSIONS)
    install(FILES "${file}" DESTINATION ${_cf_dest} RENAME ${_cf_name}
            PERMISSIONS ${_cf_PERMISSIONS})
  else()
    install(FILES "${file}" DESTINATION ${_cf_dest} RENAME ${_cf_name})
  endif()
  list(APPEND BESCHEID_CONFFILES ${_cf_dest}/${_cf_name})
endmacro()

# --- The program
install(TARGETS bescheid RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# --- Data named by the configuration: exactly the files its path keys name.
bescheid_read_property(${BESCHEID_SOURCE_CONFIG} reference.gemeinden _reference)
bescheid_read_property(${BESCHEID_SOURCE_CONFIG} letters.templates _templates)
bescheid_read_property(${BESCHEID_SOURCE_CONFIG} letters.font.regular _font_regular)
bescheid_read_property(${BESCHEID_SOURCE_CONFIG} letters.font.bold _font_bold)
bescheid_read_property(${BESCHEID_SOURCE_CONFIG} forms.layout _form_layout)
foreach(_path IN ITEMS ${_reference} ${_templates} ${_font_regular} ${_font_bold}
        ${_form_layout})
  if(NOT IS_ABSOLUTE "${_path}" AND NOT EXISTS ${PROJECT_SOURCE_DIR}/${_path})
    message(FATAL_ERROR "config/bescheid.properties names '${_path}', "
            "which is not in the source tree")
  endif()
endforeach()

if(NOT IS_ABSOLUTE "${_reference}")
  bescheid_install_conffile(${PROJECT_SOURCE_DIR}/${_reference} reference)
endif()
if(NOT IS_ABSOLUTE "${_templates}")
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${_templates}/
          DESTINATION ${BESCHEID_INSTALL_DATADIR}/${_templates})
endif()
if(NOT IS_ABSOLUTE "${_form_layout}")
  get_filename_component(_form_dir ${_form_layout} DIRECTORY)
  install(FILES ${PROJECT_SOURCE_DIR}/${_form_layout}
          DESTINATION ${BESCHEID_INSTALL_DATADIR}/${_form_dir})
endif()
set(_font_dirs "")
foreach(_font IN ITEMS ${_font_regular} ${_font_bold})
  if(NOT IS_ABSOLUTE "${_font}")
    get_filename_component(_font_dir ${_font} DIRECTORY)
    install(FILES ${PROJECT_SOURCE_DIR}/${_font}
            DESTINATION ${BESCHEID_INSTALL_DATADIR}/${_font_dir})
    list(APPEND _font_dirs ${_font_dir})
  endif()
endforeach()
# The licence travels with the fonts (fonts/LICENSE-*.txt, README.md).
list(REMOVE_DUPLICATES _font_dirs)
foreach(_font_dir IN LISTS _font_dirs)
  file(GLOB _font_docs ${PROJECT_SOURCE_DIR}/${_font_dir}/LICENSE*
       ${PROJECT_SOURCE_DIR}/${_font_dir}/README.md)
  install(FILES ${_font_docs} DESTINATION ${BESCHEID_INSTALL_DATADIR}/${_font_dir})
endforeach()

file(GLOB _schemas CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/schemas/*.xsd)
install(FILES ${_schemas} DESTINATION ${BESCHEID_INSTALL_DATADIR}/schemas)

# --- State: the journal's directory (owned by the bescheid user, postinst).
install(DIRECTORY DESTINATION ${BESCHEID_INSTALL_STATEDIR})

# --- Configuration and unit, written at install time for the prefix in use
# (this rule runs before the two that install them).
install(CODE "
  include(\"${CMAKE_CURRENT_LIST_DIR}/InstalledConfig.cmake\")
  set(_datadir \"\${CMAKE_INSTALL_PREFIX}/${BESCHEID_INSTALL_DATADIR}\")
  set(_bindir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  bescheid_write_installed_config(
    \"${BESCHEID_SOURCE_CONFIG}\"
    \"${BESCHEID_PACKAGING_DIR}/install/bescheid.properties\"
    \"${BESCHEID_INSTALL_SYSCONFDIR}\" \"\${_datadir}\"
    \"${BESCHEID_INSTALL_STATEDIR}\" \"${BESCHEID_WATCH_ROOT}\")
  bescheid_write_installed_unit(
    \"${PROJECT_SOURCE_DIR}/config/bescheid.service\"
    \"${BESCHEID_PACKAGING_DIR}/install/bescheid.service\" \"\${_bindir}\")
")
bescheid_install_conffile(${BESCHEID_PACKAGING_DIR}/install/bescheid.properties .)
install(FILES ${BESCHEID_PACKAGING_DIR}/install/bescheid.service
        DESTINATION ${BESCHEID_INSTALL_UNITDIR})

# --- Manual page and bash completion
configure_file(${PROJECT_SOURCE_DIR}/docs/man/bescheid.1
               ${BESCHEID_PACKAGING_DIR}/bescheid.1 @ONLY)
add_custom_command(
  OUTPUT ${BESCHEID_PACKAGING_DIR}/bescheid.1.gz
  COMMAND gzip -9n -c ${BESCHEID_PACKAGING_DIR}/bescheid.1
          > ${BESCHEID_PACKAGING_DIR}/bescheid.1.gz
  DEPENDS ${BESCHEID_PACKAGING_DIR}/bescheid.1
  COMMENT "Compressing the manual page bescheid(1)")
add_custom_target(bescheid_man ALL DEPENDS ${BESCHEID_PACKAGING_DIR}/bescheid.1.gz)
install(FILES ${BESCHEID_PACKAGING_DIR}/bescheid.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/completion/bescheid
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# --- Documentation (Debian: copyright and changelog.gz, native package)
add_custom_command(
  OUTPUT ${BESCHEID_PACKAGING_DIR}/changelog.gz
  COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/changelog
          > ${BESCHEID_PACKAGING_DIR}/changelog.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/packaging/changelog
  COMMENT "Compressing the package changelog")
add_custom_target(bescheid_changelog ALL
                  DEPENDS ${BESCHEID_PACKAGING_DIR}/changelog.gz)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright
              ${BESCHEID_PACKAGING_DIR}/changelog.gz
              ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/SECURITY.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME bescheid)

# The changelog's newest entry names the version the package gets.
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/changelog _changelog_head
     LIMIT_COUNT 1)
if(NOT _changelog_head MATCHES "^bescheid \\(${PROJECT_VERSION}\\) ")
  message(WARNING "packaging/changelog starts with '${_changelog_head}', not "
          "version ${PROJECT_VERSION}: add an entry before building a package")
endif()

# --- The package
file(WRITE ${BESCHEID_PACKAGING_DIR}/conffiles.in "")
foreach(_conffile IN LISTS BESCHEID_CONFFILES)
  file(APPEND ${BESCHEID_PACKAGING_DIR}/conffiles.in "${_conffile}\n")
endforeach()
configure_file(${BESCHEID_PACKAGING_DIR}/conffiles.in
               ${BESCHEID_PACKAGING_DIR}/conffiles COPYONLY)

set(BESCHEID_DEB_MAINTAINER "bescheid maintainers <bescheid@example.org>"
    CACHE STRING "Maintainer field of the .deb (name <address>)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bescheid)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${BESCHEID_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # bescheid_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies from dpkg-shlibdeps (dpkg-dev); adduser for postinst;
# the sRGB profile letters.icc-profile names; the handwriting font
# forms.font.handwriting names; Tesseract's German model, which the service
# loads (scan.tessdata) for each worker when `bescheid watch` starts.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "adduser, icc-profiles-free, fonts-dkg-handwriting, tesseract-ocr-deu")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "decision letters for integration manager grant applications")
set(CPACK_PACKAGE_DESCRIPTION
    "bescheid turns applications for funding of integration managers (Pakt
für Integration Baden-Württemberg, 2017) into decision letters. It watches
shared folders for XML applications from the online portal, validates them,
decides them by the programme's rules, records each decision with a file
number in an SQLite journal and writes a print-ready PDF letter from
templates a clerk can edit.

The package installs the watcher as the systemd service bescheid.service
(not enabled at installation) and the command line tool bescheid.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/postinst
    ${PROJECT_SOURCE_DIR}/packaging/prerm
    ${PROJECT_SOURCE_DIR}/packaging/postrm
    ${BESCHEID_PACKAGING_DIR}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
